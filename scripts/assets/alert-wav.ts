/**
 * Renders the critical-alert cue (components/alerts/alert-tone.ts) as a 16-bit
 * mono PCM WAV: square waves under the same exponential envelope Web Audio
 * applies when the browser synthesizes it, so file and fallback sound alike.
 */
import { ALERT_TONE } from '../../components/alerts/alert-tone';

const SAMPLE_RATE = 22_050;

/** The envelope's gain at t seconds into one burst (Web Audio's exponential ramps). */
function envelope(t: number): number {
  const { attackS, releaseEndS, peak, silence, lengthS } = ALERT_TONE;
  if (t < 0 || t >= lengthS) return 0;
  if (t < attackS) return silence * (peak / silence) ** (t / attackS);
  if (t < releaseEndS) return peak * (silence / peak) ** ((t - attackS) / (releaseEndS - attackS));
  return silence;
}

/** The WAV file's bytes. */
export function renderAlertWav(): Buffer {
  const { frequencies, stepS, lengthS } = ALERT_TONE;
  const seconds = (frequencies.length - 1) * stepS + lengthS;
  const samples = Math.ceil(seconds * SAMPLE_RATE);
  const pcm = Buffer.alloc(samples * 2);
  for (let n = 0; n < samples; n += 1) {
    const t = n / SAMPLE_RATE;
    let value = 0;
    frequencies.forEach((frequency, i) => {
      const local = t - i * stepS;
      const gain = envelope(local);
      if (gain > 0) value += (Math.sin(2 * Math.PI * frequency * local) >= 0 ? 1 : -1) * gain;
    });
    pcm.writeInt16LE(Math.round(Math.max(-1, Math.min(1, value)) * 32767), n * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36);
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
