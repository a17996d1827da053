'use client';
/** A modal that asks before a destructive action; the action runs only on "confirm". */
import { useEffect, useRef } from 'react';
import type { AdminActions, ConfirmRequest } from './use-admin-action';

interface ConfirmDialogProps {
  request: ConfirmRequest | null;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** Shows `request` (null: closed). */
export function ConfirmDialog({ request, busy, onConfirm, onCancel }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (request && !dialog.open) dialog.showModal();
    if (!request && dialog.open) dialog.close();
  }, [request]);

  return (
    <dialog
      ref={ref}
      className="wf-admin-dialog"
      aria-labelledby="wf-admin-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {request && (
        <>
          <h2 id="wf-admin-dialog-title" className="wf-admin-dialog__title">
            {request.title}
          </h2>
          <div className="wf-admin-dialog__body">{request.body}</div>
          <div className="wf-admin-dialog__actions">
            <button type="button" className="wf-button wf-button--ghost" onClick={onCancel}>
              Cancel
            </button>
            <button
              type="button"
              className="wf-button wf-admin-button--danger"
              disabled={busy}
              onClick={onConfirm}
            >
              {request.confirmLabel}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}

/** The dialog of a page's actions (useAdminActions): asks for what is pending. */
export function PendingConfirm({ actions }: { actions: AdminActions }) {
  return (
    <ConfirmDialog
      request={actions.pending}
      busy={actions.busy}
      onConfirm={actions.accept}
      onCancel={actions.cancel}
    />
  );
}
