import { describe, expect, it } from 'vitest';
import { BatchWriter } from '../../server/db/batch-writer';

describe('BatchWriter', () => {
  it('writes items added together in one batch and resolves each with its own result', async () => {
    const batches: number[][] = [];
    const writer = new BatchWriter<number, string>({
      maxRows: 100,
      maxWaitMs: 5,
      write: async (items) => {
        batches.push(items);
        return items.map((n) => `row-${n}`);
      },
    });
    const results = await Promise.all([1, 2, 3].map((n) => writer.add(n)));
    expect(results).toEqual(['row-1', 'row-2', 'row-3']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('flushes as soon as a batch is full', async () => {
    const batches: number[][] = [];
    const writer = new BatchWriter<number, number>({
      maxRows: 2,
      maxWaitMs: 60_000,
      write: async (items) => {
        batches.push(items);
        return items;
      },
    });
    await Promise.all([writer.add(1), writer.add(2)]);
    expect(batches).toEqual([[1, 2]]);
  });

  it('rejects every item of a batch whose write failed, so their jobs retry', async () => {
    const writer = new BatchWriter<number, number>({
      maxRows: 10,
      maxWaitMs: 1,
      write: async () => {
        throw new Error('connection terminated');
      },
    });
    const results = await Promise.allSettled([writer.add(1), writer.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('rejects when the write returns the wrong number of results', async () => {
    const writer = new BatchWriter<number, number>({
      maxRows: 10,
      maxWaitMs: 1,
      write: async () => [],
    });
    await expect(writer.add(1)).rejects.toThrow(/0 results for 1 rows/);
  });

  it('drain() writes what is pending and waits for it', async () => {
    let written = 0;
    const writer = new BatchWriter<number, number>({
      maxRows: 10,
      maxWaitMs: 60_000,
      write: async (items) => {
        written += items.length;
        return items;
      },
    });
    const pending = writer.add(7);
    await writer.drain();
    expect(written).toBe(1);
    await expect(pending).resolves.toBe(7);
  });
});
