'use client';
/**
 * One shared 1 Hz clock for every "age" on screen: a single interval however
 * many rows display a fix age, and all of them tick together.
 */
import { useSyncExternalStore } from 'react';

const TICK_MS = 1000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((notify) => notify());
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const getNow = () => now;
// The server render has no meaningful "now" for ages; 0 marks "not yet known".
const getServerNow = () => 0;

/** Browser time in ms, refreshed every second; 0 during the server render. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, getNow, getServerNow);
}
