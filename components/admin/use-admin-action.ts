'use client';
/** Runs admin actions one at a time, asking first for destructive ones, and reports errors. */
import { useCallback, useState, type ReactNode } from 'react';

/** A destructive action waiting for the user's yes (components/admin/confirm-dialog.tsx asks). */
export interface ConfirmRequest {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  run(): Promise<void>;
}

export interface AdminActions {
  busy: boolean;
  error: string | null;
  pending: ConfirmRequest | null;
  /** Runs at once. */
  run(action: () => Promise<void>): void;
  /** Opens the confirmation dialog; runs on confirm. */
  confirm(request: ConfirmRequest): void;
  accept(): void;
  cancel(): void;
  clearError(): void;
}

/** State for one page's actions. */
export function useAdminActions(onDone: () => void): AdminActions {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<ConfirmRequest | null>(null);

  const run = useCallback(
    (action: () => Promise<void>) => {
      setBusy(true);
      setError(null);
      action()
        .then(onDone, (err: Error) => setError(err.message))
        .finally(() => setBusy(false));
    },
    [onDone],
  );

  return {
    busy,
    error,
    pending,
    run,
    confirm: setPending,
    accept() {
      const request = pending;
      setPending(null);
      if (request) run(request.run);
    },
    cancel: () => setPending(null),
    clearError: () => setError(null),
  };
}
