'use client';
/** The replay clock: a cursor that advances at 1x-60x while playing, on animation frames. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GuardPathDto } from '@/contract/guards';
import { pathsTimeRange } from './replay-math';

export const REPLAY_SPEEDS = [1, 2, 5, 10, 30, 60] as const;

export interface ReplayPlayer {
  paths: GuardPathDto[];
  range: [number, number] | null;
  cursorMs: number;
  playing: boolean;
  speed: number;
  load(paths: GuardPathDto[]): void;
  clear(): void;
  setPlaying(playing: boolean): void;
  setSpeed(speed: number): void;
  seek(ms: number): void;
}

export function useReplayPlayer(): ReplayPlayer {
  const [paths, setPaths] = useState<GuardPathDto[]>([]);
  const [cursorMs, setCursor] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(10);
  const range = pathsTimeRange(paths);
  const rangeEnd = range?.[1] ?? 0;
  const last = useRef<number | null>(null);

  useEffect(() => {
    if (!playing) return;
    let frame = requestAnimationFrame(function tick(now) {
      const previous = last.current ?? now;
      last.current = now;
      setCursor((cursor) => {
        const next = cursor + (now - previous) * speed;
        if (next >= rangeEnd) {
          setPlaying(false);
          return rangeEnd;
        }
        return next;
      });
      frame = requestAnimationFrame(tick);
    });
    return () => {
      cancelAnimationFrame(frame);
      last.current = null;
    };
  }, [playing, speed, rangeEnd]);

  const load = useCallback((next: GuardPathDto[]) => {
    setPaths(next);
    setPlaying(false);
    // Start at the end: the whole walked path shows at once; play rewinds to the start.
    setCursor(pathsTimeRange(next)?.[1] ?? 0);
  }, []);
  const clear = useCallback(() => {
    setPaths([]);
    setPlaying(false);
  }, []);
  const play = useCallback(
    (on: boolean) => {
      if (on && range && cursorMs >= range[1]) setCursor(range[0]);
      setPlaying(on);
    },
    [range, cursorMs],
  );
  return {
    paths,
    range,
    cursorMs,
    playing,
    speed,
    load,
    clear,
    setPlaying: play,
    setSpeed,
    seek: setCursor,
  };
}
