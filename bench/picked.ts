/**
 * Designs the search actually picks, for the calibration and bench/rtl.ts (issue [hw]: the estimate was 27% low
 * on the demo's winner and 83% low on an UltraScale+ pick, while the random grid designs of the calibration were
 * 8% off): the winner, every Pareto point and every candidate promoted past the first rung of search runs, folded
 * exactly as the search folded them
 * (src/cli/commands/export.ts exportPoint), written as design files to bench/data/picked/.
 *
 *   npx tsx bench/picked.ts --from RUN_DIR [RUN_DIR...]     collect from finished runs (any budget, part, space)
 *   npx tsx bench/picked.ts --search [--work DIR]           run the preset short searches below, then collect
 *
 * The preset searches spread the picks over parts, LUT budgets and frame rates (high fps gives the wide, high-PE
 * layers the small budgets never pick); their training is short (one wave of 4 on 2,000 images, a 1-minute budget:
 * what is picked, not its accuracy, matters here), so collect the runs of real searches (bench/search.ts's) too:
 * the designs are real search outputs, planned from one fixed --qat-speed so the preset is deterministic.
 * A design file is named by its content (<part>_<hash>.json; SOURCES.txt says which run it came from), so
 * collecting twice adds nothing; src/synth/calibrate.ts pickedDesigns()
 * splits the folder in a fit half (cosearch calibrate) and a held-out half (bench/rtl.ts) by that name.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exportPoint, foldedDesignOfRun, readFront } from '../src/cli/commands/export.js';
import { readJournal } from '../src/run/journal.js';
import { parseGenomeKey } from '../src/search/key.js';
import type { Design } from '../src/core/design.js';
import { CosearchError } from '../src/errors.js';
import { packageRoot, readJsonFile, writeJsonAtomic } from '../src/io.js';
import { search } from '../src/search.js';
import { arg } from './lib/args.js';

/** part, LUT budget, fps: the preset searches (xc7 and UltraScale+ parts, tight to roomy budgets, 500-20,000 fps). */
export const PRESET: Array<{ part: string; luts: number; fps: number; seed: number }> = [
  { part: 'xc7z020', luts: 10000, fps: 3000, seed: 12 },
  { part: 'xc7z020', luts: 20000, fps: 10000, seed: 14 },
  { part: 'xczu3eg', luts: 30000, fps: 20000, seed: 15 },
  { part: 'xcu50', luts: 30000, fps: 20000, seed: 17 },
];

function collect(runDir: string, outDir: string): number {
  let added = 0;
  const write = (d: Design, what: string): void => {
    const body = JSON.stringify(d.layers) + d.target.part + (d.target.clockMHz ?? '');
    const name = `${d.target.part}_${createHash('sha256').update(body).digest('hex').slice(0, 10)}`;
    const file = join(outDir, `${name}.json`);
    if (existsSync(file)) return;
    writeJsonAtomic(file, { ...d, name });
    appendFileSync(join(outDir, 'SOURCES.txt'), `${name}\t${what} of ${runDir}\n`);
    added++;
  };
  const best = join(runDir, 'best', 'design.json');
  if (existsSync(best)) write(readJsonFile(best, 'winner design') as Design, 'winner');
  const tryWrite = (what: string, f: () => Design): void => {
    try {
      write(f(), what);
    } catch (e) {
      if (!(e instanceof CosearchError)) throw e;
      process.stderr.write(`${runDir} ${what}: ${e.message} (skipped)\n`);
    }
  };
  const { front } = readFront(runDir);
  for (let i = 0; i < front.length; i++) tryWrite(`Pareto point ${i}`, () => exportPoint(runDir, i).design);
  // the candidates the search promoted past its first rung (its own picks for more training)
  const promoted = new Set<string>();
  for (const r of readJournal(join(runDir, 'journal.jsonl')).records as Array<{ type: string; rung?: string; key?: string }>)
    if (r.type === 'job' && r.rung !== undefined && r.rung !== 'r0' && r.key !== undefined) promoted.add(r.key);
  for (const key of promoted) tryWrite(`promoted ${key}`, () => foldedDesignOfRun(runDir, parseGenomeKey(key), key));
  return added;
}

async function main(): Promise<void> {
  const outDir = resolve(arg('out', join(packageRoot(), 'bench', 'data', 'picked')));
  mkdirSync(outDir, { recursive: true });
  const runs: string[] = [];
  const from = process.argv.indexOf('--from');
  if (from >= 0) for (const a of process.argv.slice(from + 1)) if (!a.startsWith('--')) runs.push(resolve(a));
  if (process.argv.includes('--search')) {
    const work = resolve(arg('work', mkdtempSync(join(tmpdir(), 'cosearch-picked-'))));
    for (const p of PRESET) {
      const out = join(work, `${p.part}-${p.luts}-${p.fps}`);
      const t0 = Date.now();
      try {
        await search({ ...p, out, resume: existsSync(join(out, 'journal.jsonl')) ? out : undefined, qatSpeed: '7.1e-4,6.3e-10,4e-7,2e-8', budgetMinutes: 1, trainLimit: 2000, testLimit: 300, waves: 1, waveSize: 4, csimImages: 0, workers: 1 });
        runs.push(out);
        process.stderr.write(`search ${p.part} ${p.luts} LUT ${p.fps} fps: ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
      } catch (e) {
        if (!(e instanceof CosearchError)) throw e;
        process.stderr.write(`search ${p.part} ${p.luts} LUT ${p.fps} fps: ${e.message}\n`);
      }
    }
  }
  if (!runs.length) throw new Error('give --from RUN_DIR... or --search');
  for (const r of runs) process.stdout.write(`${r}: ${collect(r, outDir)} new design(s)\n`);
  process.stdout.write(`${outDir}: ${readdirSync(outDir).filter((f) => f.endsWith('.json')).length} designs\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
