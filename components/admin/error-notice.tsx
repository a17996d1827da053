'use client';
/** The page-level error line of the admin pages (the server's reason, as text). */

interface ErrorNoticeProps {
  error: string | null | undefined;
  /** Offered when the error belongs to an action the admin can dismiss. */
  onDismiss?: () => void;
}

/** Nothing without an error. */
export function ErrorNotice({ error, onDismiss }: ErrorNoticeProps) {
  if (!error) return null;
  return (
    <p className="wf-admin-error" role="alert" data-testid="admin-error">
      {error}
      {onDismiss && (
        <button type="button" className="wf-link" onClick={onDismiss}>
          dismiss
        </button>
      )}
    </p>
  );
}
