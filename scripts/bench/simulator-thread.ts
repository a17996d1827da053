/**
 * The benchmark's load generator on a thread of its own. The bench process
 * also holds the probes (the Socket.IO client that timestamps live events,
 * the phone that sends SOS alerts during a flood); on one event loop with
 * the generator, every publishing burst and every collection of its garbage
 * delayed them, and the delay counted as the pipeline's latency. A worker
 * thread has its own event loop and heap: the probes only wait for a core.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SimulatorOptions, SimulatorStats } from '../simulator/simulator';

/** What crosses to the thread: the options without callbacks (they cannot be sent). */
export type ThreadSimulatorOptions = Omit<SimulatorOptions, 'random' | 'onPublished'>;

/** The messages of ./simulator-thread-entry.ts. */
export type FromThread = { type: 'started' } | { type: 'stopped'; stats: SimulatorStats };

export interface SimulatorThread {
  /** Stops publishing and waits up to timeoutMs for outstanding acknowledgements. */
  stop(timeoutMs: number): Promise<SimulatorStats>;
}

/** Starts the simulator on a worker thread; resolves once it is connected and publishing. */
export async function startSimulatorThread(
  options: ThreadSimulatorOptions,
): Promise<SimulatorThread> {
  // The bench runs under `node --import tsx`, whose hooks a thread does not inherit:
  // the thread registers tsx itself, then loads its entry.
  const entry = JSON.stringify(
    fileURLToPath(new URL('./simulator-thread-entry.ts', import.meta.url)),
  );
  const worker = new Worker(`require('tsx/cjs/api').register(); require(${entry});`, {
    eval: true,
    workerData: options,
  });
  const next = () =>
    new Promise<FromThread>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      worker.once('error', onError);
      worker.once('message', (message: FromThread) => {
        worker.off('error', onError);
        resolve(message);
      });
    });
  const started = await next();
  if (started.type !== 'started') throw new Error(`simulator thread: ${started.type}`);
  return {
    async stop(timeoutMs) {
      const stopped = next();
      worker.postMessage({ type: 'stop', timeoutMs });
      const message = await stopped;
      await worker.terminate();
      if (message.type !== 'stopped') throw new Error(`simulator thread: ${message.type}`);
      return message.stats;
    },
  };
}
