/**
 * How far the surrogate's fidelity extrapolation is off on real searches: for each finished run without a prior
 * (`--no-prior`: its rows are only its own r0/r1 jobs), fit the surrogate on the run's non-final jobs and predict
 * each final training at its images seen, capped at 2x (the search's EXTRAPOLATION), 4x, 8x the most images any row
 * saw, and uncapped; prints predicted - measured in points.
 *   npx tsx bench/extrapolation.ts RUN_DIR...
 */
import { existsSync } from 'node:fs';
import { readJournal } from '../src/run/journal.js';
import { join } from 'node:path';
import { Surrogate, imagesSeen } from '../src/search/surrogate.js';
import * as S from '../src/search/surrogate.js';
import { loadSpace } from '../src/run/space-file.js';
import { parseGenomeKey } from '../src/search/key.js';
import { predictGp } from '../src/core/gp.js';
const dirs = process.argv.slice(2);
for (const d of dirs) {
  const jf = join(d, 'journal.jsonl');
  if (!existsSync(jf)) continue;
  const recs = readJournal(jf).records as Array<Record<string, any>>;
  const start = recs.find((r) => r.type === 'start');
  if (!start) continue;
  if (!start.options?.noPrior) continue;
  const { space } = loadSpace(start.options.space);
  const jobs = recs.filter((r) => r.type === 'job' && r.result);
  const fin = jobs.filter((r) => r.rung === 'final');
  if (!fin.length) continue;
  const rows = jobs.filter((r) => r.rung !== 'final').map((r) => ({ key: r.key, genome: parseGenomeKey(r.key), imagesSeen: imagesSeen(r.fidelity), recipe: 'base', acc: r.result.acc, source: 'run' }));
  const sur = Surrogate.fit(rows, space);
  const out: string[] = [];
  for (const f of fin) {
    const seen = imagesSeen(f.fidelity);
    const res: string[] = [];
    for (const cap of [2, 4, 8, 1e9]) {
      // the GP at min(seen, cap * maxSeen), past the search's own cap
      const x = S.surrogateFeatures(parseGenomeKey(f.key), space, Math.min(seen, cap * sur.maxSeen));
      const m = predictGp(sur.model!, [x]).mean[0]!;
      const p = { mean: 1 - Math.exp(m) };
      res.push(`cap${cap === 1e9 ? 'inf' : cap} ${(100 * (p.mean - f.result.acc)).toFixed(2)}`);
    }
    out.push(`${f.key} seen ${seen} max ${sur.maxSeen} acc ${(100 * f.result.acc).toFixed(2)} | ${res.join(' ')}`);
  }
  console.log(d.slice(-30), '\n  ' + out.join('\n  '));
}
