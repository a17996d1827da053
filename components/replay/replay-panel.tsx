'use client';
/** History replay controls: guards, time range, load; then play/pause, speed and a time slider. */
import { useState, type FormEvent } from 'react';
import type { LiveStore } from '@/components/realtime/live-store';
import { useRoster } from '@/components/realtime/use-live-store';
import type { GuardPathDto } from '@/contract/guards';
import { REPLAY_SPEEDS, type ReplayPlayer } from './use-replay-player';

/** A datetime-local value (local time, minutes) for a Date. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const clock = (ms: number) =>
  new Date(ms).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

interface ReplayPanelProps {
  store: LiveStore;
  player: ReplayPlayer;
  /** Preselects this guard (the one open in the detail card). */
  initialGuardId: string | null;
}

export function ReplayPanel({ store, player, initialGuardId }: ReplayPanelProps) {
  const roster = useRoster(store);
  const [chosen, setChosen] = useState<string[]>(initialGuardId ? [initialGuardId] : []);
  const [from, setFrom] = useState(() => localInput(new Date(Date.now() - 15 * 60_000)));
  const [to, setTo] = useState(() => localInput(new Date(Date.now() + 60_000)));
  const [state, setState] = useState<{ loading: boolean; error: string | null; empty: boolean }>({
    loading: false,
    error: null,
    empty: false,
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState({ loading: true, error: null, empty: false });
    try {
      const params = new URLSearchParams({
        guards: chosen.join(','),
        // datetime-local values read in the browser's zone, sent as epoch ms (the contract's time).
        from: String(new Date(from).getTime()),
        to: String(new Date(to).getTime()),
      });
      const response = await fetch(`/api/replay?${params}`, { cache: 'no-store' });
      const body = (await response.json()) as {
        paths?: GuardPathDto[];
        error?: { message: string };
      };
      if (!response.ok || !body.paths)
        throw new Error(body.error?.message ?? `HTTP ${response.status}`);
      player.load(body.paths);
      setState({
        loading: false,
        error: null,
        empty: body.paths.every((p) => p.points.length === 0),
      });
    } catch (error) {
      setState({ loading: false, error: (error as Error).message, empty: false });
    }
  };

  return (
    <section className="wf-replay" aria-label="History replay">
      <form className="wf-replay__form" onSubmit={(event) => void submit(event)}>
        <label className="wf-field">
          <span>Guards (Ctrl/Shift for several)</span>
          <select
            multiple
            className="wf-select wf-select--multi"
            value={chosen}
            onChange={(event) => setChosen([...event.target.selectedOptions].map((o) => o.value))}
            name="guards"
          >
            {roster.guardIds.map((id) => (
              <option key={id} value={id}>
                {store.getGuard(id)?.name ?? id}
              </option>
            ))}
          </select>
        </label>
        <div className="wf-replay__range">
          <label className="wf-field">
            <span>From</span>
            <input
              className="wf-input"
              type="datetime-local"
              name="from"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              required
            />
          </label>
          <label className="wf-field">
            <span>To</span>
            <input
              className="wf-input"
              type="datetime-local"
              name="to"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              required
            />
          </label>
        </div>
        <button
          type="submit"
          className="wf-button wf-button--primary"
          disabled={chosen.length === 0 || state.loading}
        >
          {state.loading ? 'Loading…' : 'Show path'}
        </button>
        {state.error && (
          <p className="wf-alert__error" role="alert">
            {state.error}
          </p>
        )}
        {state.empty && <p className="wf-detail__none">No stored fixes in that range.</p>}
      </form>

      {player.range && (
        <div
          className="wf-replay__player"
          data-replay-points={player.paths.reduce((n, p) => n + p.points.length, 0)}
        >
          <div className="wf-replay__buttons">
            <button
              type="button"
              className="wf-button wf-button--primary"
              onClick={() => player.setPlaying(!player.playing)}
            >
              {player.playing ? 'Pause' : 'Play'}
            </button>
            <label className="wf-field wf-field--inline">
              <span>Speed</span>
              <select
                className="wf-select"
                value={player.speed}
                onChange={(e) => player.setSpeed(Number(e.target.value))}
              >
                {REPLAY_SPEEDS.map((speed) => (
                  <option key={speed} value={speed}>
                    {speed}×
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="wf-button" onClick={player.clear}>
              Close replay
            </button>
          </div>
          <label className="wf-field">
            <span>
              Time <output className="wf-replay__time">{clock(player.cursorMs)}</output>
            </span>
            <input
              type="range"
              className="wf-range"
              min={player.range[0]}
              max={player.range[1]}
              step={1000}
              value={player.cursorMs}
              onChange={(e) => player.seek(Number(e.target.value))}
            />
          </label>
          <ul className="wf-replay__legend">
            {player.paths.map((path) => (
              <li key={path.guardId}>
                {path.name}: {path.points.length} fixes
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
