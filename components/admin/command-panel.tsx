'use client';
/**
 * Send a command to a guard's device or a device, and watch each command go
 * queued -> sent -> acknowledged (or failed) as the server pushes changes.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { CommandRequest } from '@/contract/command-request';
import {
  COMMAND_TEXT_MAX_LENGTH,
  type CommandDto,
  type CommandTargetKind,
} from '@/contract/commands';
import { getJson, sendJson } from './admin-api';
import { formatTime } from './format';

const TYPE_LABELS: Record<CommandDto['type'], string> = {
  locate: 'Locate now',
  message: 'Text message',
  sos_ack: 'Acknowledge SOS',
};

interface CommandPanelProps {
  /** Pushed changes by id (from the admin connection). */
  changes: Map<string, CommandDto>;
}

/** The form and the newest commands. */
export function CommandPanel({ changes }: CommandPanelProps) {
  const [loaded, setLoaded] = useState<CommandDto[]>([]);
  const [kind, setKind] = useState<CommandTargetKind>('guard');
  const [targetId, setTargetId] = useState('');
  const [type, setType] = useState<CommandDto['type']>('locate');
  const [text, setText] = useState('');
  const [alertId, setAlertId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getJson<{ commands: CommandDto[] }>('/api/commands?limit=50').then(
      (body) => setLoaded(body.commands),
      (err: Error) => setError(err.message),
    );
  }, []);

  // Newest first; a pushed change replaces the loaded row, and new commands appear on top.
  const commands = useMemo(() => {
    const byId = new Map(loaded.map((c) => [c.id, c]));
    for (const [id, c] of changes) byId.set(id, c);
    return [...byId.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, 50);
  }, [loaded, changes]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const target = { kind, id: targetId.trim() };
    const body: CommandRequest =
      type === 'message'
        ? { type, target, text }
        : type === 'sos_ack'
          ? { type, target, alertId: alertId.trim() }
          : { type, target };
    sendJson<{ command: CommandDto }>('/api/commands', body)
      .then(({ command }) => {
        setLoaded((prev) => [command, ...prev.filter((c) => c.id !== command.id)]);
        setText('');
      })
      .catch((err: Error) => setError(err.message))
      .finally(() => setBusy(false));
  };

  return (
    <div className="wf-admin-commands">
      <form className="wf-admin-form" onSubmit={submit} aria-label="Send a command">
        <label className="wf-field">
          To
          <select
            className="wf-select"
            aria-label="Target kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as CommandTargetKind)}
          >
            <option value="guard">Guard&apos;s device</option>
            <option value="device">Device</option>
          </select>
        </label>
        <label className="wf-field">
          {kind === 'guard' ? 'Guard id' : 'Device id'}
          <input
            className="wf-input"
            aria-label={kind === 'guard' ? 'Guard id' : 'Device id'}
            required
            value={targetId}
            onChange={(e) => setTargetId(e.target.value)}
            placeholder={kind === 'guard' ? 'guard-001' : 'device id'}
          />
        </label>
        <label className="wf-field">
          Command
          <select
            className="wf-select"
            aria-label="Command"
            value={type}
            onChange={(e) => setType(e.target.value as CommandDto['type'])}
          >
            {Object.entries(TYPE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {type === 'message' && (
          <label className="wf-field wf-admin-form__wide">
            Message
            <input
              className="wf-input"
              aria-label="Message"
              required
              maxLength={COMMAND_TEXT_MAX_LENGTH}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
        )}
        {type === 'sos_ack' && (
          <label className="wf-field wf-admin-form__wide">
            Alert id
            <input
              className="wf-input"
              aria-label="Alert id"
              required
              value={alertId}
              onChange={(e) => setAlertId(e.target.value)}
            />
          </label>
        )}
        <button type="submit" className="wf-button wf-button--primary" disabled={busy}>
          Send
        </button>
      </form>
      {error && <p className="wf-admin-error">{error}</p>}
      <div className="wf-admin-table-wrap">
        <table className="wf-admin-table" data-testid="command-table">
          <thead>
            <tr>
              <th scope="col">Sent</th>
              <th scope="col">To</th>
              <th scope="col">Command</th>
              <th scope="col">Status</th>
              <th scope="col">By</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {commands.length === 0 && (
              <tr>
                <td colSpan={6} className="wf-admin-muted">
                  No commands yet.
                </td>
              </tr>
            )}
            {commands.map((c) => (
              <tr key={c.id} data-command={c.id} data-status={c.status}>
                <td>{formatTime(c.createdAt)}</td>
                <td>
                  {c.targetKind} <code className="wf-admin-code">{c.targetId}</code>
                </td>
                <td>
                  {TYPE_LABELS[c.type]}
                  {typeof c.payload.text === 'string' && (
                    <div className="wf-admin-muted wf-admin-clip">“{c.payload.text}”</div>
                  )}
                </td>
                <td>
                  <span className={`wf-admin-tag wf-admin-tag--${c.status}`}>{c.status}</span>
                </td>
                <td>{c.requestedBy?.name ?? '—'}</td>
                <td className="wf-admin-clip">
                  {c.error ??
                    (c.acknowledgedAt
                      ? `acknowledged ${formatTime(c.acknowledgedAt)}`
                      : c.sentAt
                        ? `sent ${formatTime(c.sentAt)}`
                        : '')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
