'use client';
/** A modal form (edit a user, set a password): Escape or Cancel closes, Enter submits. */
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

interface FormDialogProps {
  open: boolean;
  title: string;
  submitLabel: string;
  busy: boolean;
  /** Shown above the buttons: the server's answer when it refused. */
  error: string | null;
  onSubmit(): void;
  onCancel(): void;
  children: ReactNode;
}

/** Shows the form while `open`. */
export function FormDialog(props: FormDialogProps) {
  const { open, title, submitLabel, busy, error, onSubmit, onCancel, children } = props;
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };

  return (
    <dialog
      ref={ref}
      className="wf-admin-dialog wf-admin-dialog--form"
      aria-labelledby="wf-admin-form-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {open && (
        <form onSubmit={submit}>
          <h2 id="wf-admin-form-dialog-title" className="wf-admin-dialog__title">
            {title}
          </h2>
          <div className="wf-admin-dialog__fields">{children}</div>
          {error && (
            <p className="wf-admin-error" role="alert">
              {error}
            </p>
          )}
          <div className="wf-admin-dialog__actions">
            <button type="button" className="wf-button wf-button--ghost" onClick={onCancel}>
              Cancel
            </button>
            <button type="submit" className="wf-button wf-button--primary" disabled={busy}>
              {submitLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
