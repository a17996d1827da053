/** Formatting shared by the admin tables. */

/** "12:04:31" for today, else "2026-11-28 12:04"; "—" for none. */
export function formatTime(at: number | string | null | undefined): string {
  if (at === null || at === undefined || at === '') return '—';
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '—';
  const today = new Date().toDateString() === date.toDateString();
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  if (today) return time;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

/** 1234 -> "1,234". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Bytes as "512 B" / "3.2 KiB". */
export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`;
}

/** Milliseconds as "850 ms" / "2.5 s"; "—" for none. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `≤ ${ms} ms` : `≤ ${ms / 1000} s`;
}
