'use client';
/**
 * Device commands in a guard's detail card, for supervisors and admins: locate
 * now, a text message, and acknowledging an open SOS on the guard's phone.
 * Each command's state (queued -> sent -> acknowledged, or failed) is pushed
 * live; while the broker link is down the card says commands are waiting.
 */
import { useState, type FormEvent } from 'react';
import { formatTime } from '@/components/admin/format';
import { COMMAND_TEXT_MAX_LENGTH, type CommandDto } from '@/contract/commands';
import type { AlertDto } from '@/contract/alerts';
import { sendGuardCommand, type NewCommand } from './command-api';
import type { CommandStore } from './command-store';
import { useGuardCommands } from './use-commands';

const TYPE_LABELS: Record<CommandDto['type'], string> = {
  locate: 'Locate now',
  message: 'Message',
  sos_ack: 'SOS acknowledged on device',
};

const STATUS_LABELS: Record<CommandDto['status'], string> = {
  queued: 'Queued',
  sent: 'Sent',
  acknowledged: 'Acknowledged',
  failed: 'Failed',
};

interface GuardCommandsProps {
  store: CommandStore;
  guardId: string;
  /** The guard's open SOS alert, if any: only then can it be acknowledged on the device. */
  openSos: AlertDto | null;
}

/** The command buttons and the guard's recent commands. */
export function GuardCommands({ store, guardId, openSos }: GuardCommandsProps) {
  const { commands, delayed } = useGuardCommands(store, guardId, true);
  const [composing, setComposing] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = (command: NewCommand) => {
    setBusy(true);
    setError(null);
    sendGuardCommand(guardId, command)
      .then((sent) => {
        store.applyCommand(sent);
        if (command.type === 'message') {
          setText('');
          setComposing(false);
        }
      })
      .catch((err: Error) => setError(err.message))
      .finally(() => setBusy(false));
  };

  const submitMessage = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (trimmed.length === 0) return setError('Write a message first.');
    if (trimmed.length > COMMAND_TEXT_MAX_LENGTH) {
      return setError(`A message is at most ${COMMAND_TEXT_MAX_LENGTH} characters.`);
    }
    send({ type: 'message', text: trimmed });
  };

  return (
    <section className="wf-commands" aria-labelledby="wf-commands-title" data-commands={guardId}>
      <h3 id="wf-commands-title" className="wf-detail__subtitle">
        Device commands
      </h3>
      <div className="wf-commands__actions">
        <button
          type="button"
          className="wf-button wf-button--primary"
          disabled={busy}
          onClick={() => send({ type: 'locate' })}
        >
          Locate now
        </button>
        <button
          type="button"
          className="wf-button"
          disabled={busy}
          aria-expanded={composing}
          onClick={() => {
            setComposing((open) => !open);
            setError(null);
          }}
        >
          Send message
        </button>
        {openSos && (
          <button
            type="button"
            className="wf-button wf-button--danger"
            disabled={busy}
            onClick={() => send({ type: 'sos_ack', alertId: openSos.id })}
          >
            Acknowledge SOS on device
          </button>
        )}
      </div>
      {composing && (
        <form className="wf-commands__message" onSubmit={submitMessage} noValidate>
          <label className="wf-field" htmlFor="wf-command-text">
            Message to the guard&apos;s phone
          </label>
          <textarea
            id="wf-command-text"
            className="wf-input wf-commands__text"
            rows={2}
            value={text}
            aria-invalid={error !== null}
            aria-describedby="wf-command-count"
            onChange={(e) => setText(e.target.value)}
          />
          <div className="wf-commands__message-row">
            <span
              id="wf-command-count"
              className={
                text.trim().length > COMMAND_TEXT_MAX_LENGTH
                  ? 'wf-commands__count wf-commands__count--over'
                  : 'wf-commands__count'
              }
            >
              {text.trim().length} / {COMMAND_TEXT_MAX_LENGTH}
            </span>
            <button type="submit" className="wf-button wf-button--primary" disabled={busy}>
              Send
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="wf-commands__error" role="alert">
          {error}
        </p>
      )}
      {delayed && (
        <p className="wf-commands__delayed" role="status" data-commands-delayed>
          The link to devices is interrupted: commands are kept and will be sent when it is back.
        </p>
      )}
      {commands.length === 0 ? (
        <p className="wf-detail__none">No commands sent yet.</p>
      ) : (
        <ul className="wf-commands__list" aria-label="Recent commands">
          {commands.map((command) => (
            <CommandRow key={command.id} command={command} delayed={delayed} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CommandRow({ command, delayed }: { command: CommandDto; delayed: boolean }) {
  const text = typeof command.payload.text === 'string' ? command.payload.text : null;
  const waiting = delayed && command.status === 'queued';
  return (
    <li className="wf-command" data-command={command.id} data-status={command.status}>
      <div className="wf-command__head">
        <span className="wf-command__type">{TYPE_LABELS[command.type]}</span>
        <span className={`wf-command__status wf-command__status--${command.status}`}>
          {waiting ? 'Waiting' : STATUS_LABELS[command.status]}
        </span>
      </div>
      {text && <p className="wf-command__text">“{text}”</p>}
      <p className="wf-command__times">
        {formatTime(command.createdAt)}
        {command.requestedBy ? ` by ${command.requestedBy.name}` : ''}
        {command.sentAt && ` · sent ${formatTime(command.sentAt)}`}
        {command.acknowledgedAt && ` · acknowledged ${formatTime(command.acknowledgedAt)}`}
        {command.failedAt && ` · failed ${formatTime(command.failedAt)}`}
      </p>
      {command.error && <p className="wf-command__error">{command.error}</p>}
    </li>
  );
}
