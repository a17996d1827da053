import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../server/metrics/metrics';
import { createProcessReportSource } from '../../server/metrics/process-report';

describe('process report memory', () => {
  it('tells the heap in use, the heap held, compiled code within it and memory outside it', async () => {
    const source = createProcessReportSource({
      metrics: createMetrics(),
      roles: ['web'],
      health: () => ({}),
    });
    try {
      const { memory } = await source.read();
      expect(memory).toBeDefined();
      const { heapUsedMb, heapTotalMb, externalMb, codeMb } = memory!;
      expect(heapUsedMb).toBeGreaterThan(0);
      expect(heapUsedMb).toBeLessThanOrEqual(heapTotalMb);
      expect(externalMb).toBeGreaterThan(0);
      // Code is part of the held heap: a test process has compiled some, far less than all of it.
      expect(codeMb).toBeGreaterThan(0);
      expect(codeMb).toBeLessThan(heapTotalMb);
    } finally {
      source.stop();
    }
  });
});
