import { describe, expect, it } from 'vitest';
import { createVerificationGate } from '../../server/auth/verification-gate';

describe('the password verification gate', () => {
  it('runs at most its concurrency at once and refuses past its queue', async () => {
    const gate = createVerificationGate(2, 3);
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const task = () =>
      gate.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      });
    const accepted = Array.from({ length: 5 }, task);
    await expect(task()).rejects.toMatchObject({ status: 503, code: 'LOGIN_BUSY' });
    while (releases.length || gate.running) {
      await new Promise((r) => setTimeout(r, 1));
      releases.shift()?.();
    }
    await Promise.all(accepted);
    expect(peak).toBe(2);
  });
});
