/**
 * The audible cue for critical alerts: a two-tone beep made with Web Audio
 * (no sound files, nothing fetched), repeated while a critical alert is open
 * and not acknowledged. Muting is remembered per browser.
 */

const MUTE_KEY = 'watchfloor.alerts.muted';

/** Whether this browser muted the cue. */
export function readMuted(): boolean {
  try {
    return window.localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

const muteListeners = new Set<() => void>();

/** For useSyncExternalStore: every banner on the page follows one mute switch. */
export function subscribeMuted(listener: () => void): () => void {
  muteListeners.add(listener);
  return () => {
    muteListeners.delete(listener);
  };
}

/** Remembers the choice for this browser. */
export function writeMuted(muted: boolean): void {
  try {
    window.localStorage.setItem(MUTE_KEY, muted ? '1' : '0');
  } catch {
    // Private mode or storage full: the choice cannot be kept.
  }
  muteListeners.forEach((listener) => listener());
}

let context: AudioContext | null = null;

/** Plays one alarm burst; silently does nothing where audio is unavailable or still locked. */
export function beep(): void {
  try {
    context ??= new AudioContext();
    // Browsers keep audio suspended until the user interacts with the page once.
    if (context.state === 'suspended') void context.resume();
    const start = context.currentTime;
    [880, 660, 880].forEach((frequency, i) => {
      const osc = context!.createOscillator();
      const gain = context!.createGain();
      osc.type = 'square';
      osc.frequency.value = frequency;
      const t = start + i * 0.18;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.16);
      osc.connect(gain).connect(context!.destination);
      osc.start(t);
      osc.stop(t + 0.17);
    });
  } catch {
    // No Web Audio: the visual cue remains.
  }
}
