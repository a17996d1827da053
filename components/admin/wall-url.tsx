'use client';
/** A new wall token's URL, shown this once: select it or copy it, then dismiss. */
import { useState } from 'react';

interface WallUrlProps {
  name: string;
  url: string;
  onDismiss(): void;
}

/** The one-time panel. */
export function WallUrl({ name, url, onDismiss }: WallUrlProps) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () => {
    // The clipboard needs a secure context (HTTPS or localhost); otherwise the field is selectable.
    if (!navigator.clipboard) return setCopied('failed');
    navigator.clipboard.writeText(url).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return (
    <section
      className="wf-admin-once"
      aria-labelledby="wf-admin-once-title"
      data-testid="new-wall-token"
    >
      <h2 id="wf-admin-once-title" className="wf-admin-once__title">
        Wall URL for {name}
      </h2>
      <p className="wf-admin-once__text">
        Open this address on the wall display. It is shown only now: Watchfloor keeps only a hash of
        the token. Anyone with it sees these sites until you revoke it.
      </p>
      <div className="wf-admin-once__row">
        <input
          className="wf-input wf-admin-once__url"
          readOnly
          aria-label="Wall URL"
          value={url}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="wf-button wf-button--primary" onClick={copy}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="wf-button wf-button--ghost" onClick={onDismiss}>
          Done
        </button>
      </div>
      {copied === 'failed' && (
        <p className="wf-admin-hint" role="status">
          Copying is not allowed here: select the address and copy it by hand.
        </p>
      )}
    </section>
  );
}
