/**
 * The critical-alert cue, defined once: the browser synthesizes it from this
 * (components/alerts/critical-cue.ts) until the served file is loaded, and
 * scripts/assets/build-public.ts renders the same tones into that file.
 */

/** The cue as served from public/ (a 16-bit mono WAV). */
export const ALERT_SOUND_URL = '/sounds/critical-alert.wav';

export const ALERT_TONE = {
  /** Hz, one burst each. */
  frequencies: [880, 660, 880],
  /** Seconds from one burst's start to the next. */
  stepS: 0.18,
  /** Seconds each burst sounds. */
  lengthS: 0.17,
  /** Seconds to rise to the peak, and when the fade ends (from the burst's start). */
  attackS: 0.02,
  releaseEndS: 0.16,
  /** Linear gain at the peak; the ramps are exponential from and to SILENCE. */
  peak: 0.15,
  silence: 0.0001,
} as const;
