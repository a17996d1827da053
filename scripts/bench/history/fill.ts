/** Synthetic GPS history written with COPY: guards walking around Antwerp at a fixed fix interval. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export interface FillPlan {
  guards: number;
  /** Seconds between two fixes of one guard. */
  intervalS: number;
  /** Epoch ms of the first and (exclusive) last fix. */
  fromMs: number;
  toMs: number;
}

/** Rows the plan writes. */
export const rowsOf = (plan: FillPlan) =>
  plan.guards * Math.ceil((plan.toMs - plan.fromMs) / (plan.intervalS * 1000));

export const benchGuardId = (i: number) => `bench-g${String(i).padStart(4, '0')}`;

const COLUMNS =
  '(guard_id, position, fix_at, accuracy_m, speed_mps, heading_deg, received_at, message_key)';

/** COPY text lines, time-ordered as a live feed would be, about 1,000 rows per chunk. */
async function* lines(plan: FillPlan, keyPrefix: string): AsyncGenerator<string> {
  let chunk: string[] = [];
  for (let t = plan.fromMs; t < plan.toMs; t += plan.intervalS * 1000) {
    const at = new Date(t).toISOString();
    for (let g = 0; g < plan.guards; g++) {
      const phase = t / 600_000 + g;
      const lat = 51.2 + (g % 50) * 0.002 + Math.sin(phase) * 0.001;
      const lon = 4.38 + Math.floor(g / 50) * 0.002 + Math.cos(phase) * 0.001;
      chunk.push(
        `${benchGuardId(g)}\tSRID=4326;POINT(${lon.toFixed(6)} ${lat.toFixed(6)})\t${at}\t5\t1.2\t90\t${at}\t${keyPrefix}${g}-${t}\n`,
      );
    }
    if (chunk.length >= 1000) {
      yield chunk.join('');
      chunk = [];
    }
  }
  if (chunk.length) yield chunk.join('');
}

/** Writes the plan into `table` with COPY; returns the rows written and the seconds it took. */
export async function copyFixes(
  pool: pg.Pool,
  table: string,
  plan: FillPlan,
  keyPrefix = 'k',
): Promise<{ rows: number; seconds: number }> {
  const client = await pool.connect();
  try {
    const started = performance.now();
    const stream = client.query(copyFrom(`COPY ${table} ${COLUMNS} FROM STDIN`));
    await pipeline(Readable.from(lines(plan, keyPrefix)), stream);
    return { rows: Number(stream.rowCount), seconds: (performance.now() - started) / 1000 };
  } finally {
    client.release();
  }
}
