/**
 * The audible cue for critical alerts: a two-tone beep through Web Audio,
 * repeated while a critical alert is open and not acknowledged. It plays the
 * served file (public/sounds, fetched once); until that is loaded, or if it
 * cannot be, the same tones are synthesized (components/alerts/alert-tone.ts).
 * Muting is remembered per browser.
 */
import { ALERT_SOUND_URL, ALERT_TONE } from './alert-tone';

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
let recording: AudioBuffer | null = null;
let loading = false;

/** Fetches and decodes the served cue once; on failure the synthesized one stays. */
function loadRecording(audio: AudioContext): void {
  if (loading) return;
  loading = true;
  fetch(ALERT_SOUND_URL)
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.arrayBuffer();
    })
    .then((bytes) => audio.decodeAudioData(bytes))
    .then(
      (buffer) => {
        recording = buffer;
      },
      () => undefined,
    );
}

function synthesize(audio: AudioContext): void {
  const start = audio.currentTime;
  ALERT_TONE.frequencies.forEach((frequency, i) => {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'square';
    osc.frequency.value = frequency;
    const t = start + i * ALERT_TONE.stepS;
    gain.gain.setValueAtTime(ALERT_TONE.silence, t);
    gain.gain.exponentialRampToValueAtTime(ALERT_TONE.peak, t + ALERT_TONE.attackS);
    gain.gain.exponentialRampToValueAtTime(ALERT_TONE.silence, t + ALERT_TONE.releaseEndS);
    osc.connect(gain).connect(audio.destination);
    osc.start(t);
    osc.stop(t + ALERT_TONE.lengthS);
  });
}

/** Plays one alarm burst; silently does nothing where audio is unavailable or still locked. */
export function beep(): void {
  try {
    context ??= new AudioContext();
    // Browsers keep audio suspended until the user interacts with the page once.
    if (context.state === 'suspended') void context.resume();
    loadRecording(context);
    if (!recording) return synthesize(context);
    const source = context.createBufferSource();
    source.buffer = recording;
    source.connect(context.destination);
    source.start();
  } catch {
    // No Web Audio: the visual cue remains.
  }
}
