'use client';
import { useNow } from '@/components/time/use-now';

/** The wall's clock: the first thing people look for on a control-room screen. */
export function WallClock() {
  const now = useNow();
  return (
    <time className="wf-wall__clock" suppressHydrationWarning>
      {now > 0
        ? new Date(now).toLocaleTimeString(undefined, {
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          })
        : ''}
    </time>
  );
}
