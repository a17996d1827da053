/** The thread side of ./simulator-thread.ts: start, say so, stop when asked, send the counts back. */
import { parentPort, workerData } from 'node:worker_threads';
import { startSimulator } from '../simulator/simulator';
import type { FromThread, ThreadSimulatorOptions } from './simulator-thread';

async function run(port: NonNullable<typeof parentPort>): Promise<void> {
  const sim = await startSimulator(workerData as ThreadSimulatorOptions);
  port.postMessage({ type: 'started' } satisfies FromThread);
  port.once('message', ({ timeoutMs }: { timeoutMs: number }) => {
    void sim.stop(timeoutMs).then((stats) => {
      port.postMessage({ type: 'stopped', stats } satisfies FromThread);
    });
  });
}

if (parentPort) void run(parentPort);
