/**
 * `npx tsx scripts/soak/rejudge.ts bench/results/soak-<date>.json --warmup-minutes 25`:
 * judges a finished soak's samples again with another warm-up (for instance
 * one that ends after the bounded buffers have filled at a low rate) and
 * writes the result beside it as soak-<date>-warmup<N>.json/.md. The original
 * report is left as it is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderSoakMarkdown, type SoakReport } from './report';
import { judgeRun, overallPass } from './summary';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'warmup-minutes': { type: 'string' } },
});
const file = positionals[0];
const warmupMinutes = Number(values['warmup-minutes']);
if (!file?.endsWith('.json') || !Number.isFinite(warmupMinutes) || warmupMinutes < 0) {
  console.error('usage: rejudge.ts <soak report .json> --warmup-minutes N');
  process.exit(2);
}
const original = JSON.parse(readFileSync(file, 'utf8')) as SoakReport;
const verdicts = judgeRun(original.samples, warmupMinutes * 60, original.rate);
const report: SoakReport = {
  ...original,
  warmupMinutes,
  verdicts,
  pass: overallPass({ ...original, verdicts }),
};
const base = file.replace(/\.json$/, `-warmup${warmupMinutes}`);
writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${base}.md`, renderSoakMarkdown(report));
console.log(`${report.pass ? 'PASS' : 'FAIL'} with a ${warmupMinutes}-minute warm-up: ${base}.md`);
