/**
 * Search benchmarks (prints figures; run with `npx tsx bench/search.ts [--skip-runs | --runs-only] [--budget-minutes 6]
 * [--luts-list 30000,3000,1500] [--seeds 1,2,3] [--qat-speed A,B,C,D] [--fps 1000] [--strategies cosearch,separate]
 * [--space FILE] [--no-prior]`):
 *  1. predictor-only screening rate: candidates/s for encode + cheap features + MLP (screen model), and the
 *     whole inner loop (sample + fold + budget check + screen) per candidate;
 *  2. Kendall tau of predicted vs measured accuracy, 5-fold cross-validated on the shipped bench-space table;
 *  3. co-search vs the separate baseline (same learning machinery, hardware ignored until the winner is quantized
 *     and folded) at several budgets (default 30,000 and the tight 3,000 and 1,500 LUTs at 1,000 fps on xc7z020)
 *     and seeds (default 1,2,3), each run with --budget-minutes 6 and one fixed --qat-speed so that every run plans
 *     alike; prints every winner, then mean and spread per budget and strategy. About 2 x 9 x 6 minutes on 2 cores:
 *     `--seeds 1 --luts-list 3000` for a quick look. `--strategies cosearch --space bench/data/spaces/separable-28x28x1.json
 *     --no-prior` against the same without --space compares the space with depthwise-separable blocks to the plain one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/core/rng.js';
import { sampleGenome, toDesign, type Genome } from '../src/core/space.js';
import { CosearchError } from '../src/errors.js';
import { initBackend } from '../src/ml/backend.js';
import { featureRow, predictRows, trainPredictor } from '../src/ml/predictor.js';
import { loadCalibration, loadPart } from '../src/parts.js';
import { evaluateHardware } from '../src/run/hardware.js';
import { defaultPredictorPath, loadPredictor } from '../src/run/predictor-file.js';
import { loadSpace } from '../src/run/space-file.js';
import { readTable } from '../src/run/table.js';
import { search, type SearchResult } from '../src/search.js';
import { arg } from './lib/args.js';


async function main(): Promise<void> {
  await initBackend('auto');
  if (process.argv.includes('--runs-only')) return runs();
  const { space } = loadSpace('default-28x28x1');
  const predFile = defaultPredictorPath(space.name, 'fashion-mnist');
  const pf = loadPredictor(predFile, space);

  // 1. screening rate
  const rng = new Rng(1);
  const N = 20000;
  const gs: Genome[] = Array.from({ length: N }, () => sampleGenome(space, rng));
  let t0 = performance.now();
  const preds = predictRows(pf.screen, gs.map((g) => featureRow(g, space, null)));
  const predRate = N / ((performance.now() - t0) / 1000);
  const part = loadPart('xc7z020');
  const calib = loadCalibration();
  const M = 5000;
  t0 = performance.now();
  let fit = 0;
  const r2 = new Rng(2);
  const batch: Genome[] = [];
  for (let i = 0; i < M; i++) {
    const g = sampleGenome(space, r2);
    const { hw } = evaluateHardware(toDesign(g, space), { part, calib, clockMHz: 100, budget: { luts: 30000, fps: 1000 } });
    if (hw.fits) {
      fit++;
      batch.push(g);
    }
  }
  predictRows(pf.screen, batch.map((g) => featureRow(g, space, null)));
  const loopRate = M / ((performance.now() - t0) / 1000);
  console.log(`predictor-only screening: ${Math.round(predRate).toLocaleString('en-US')} candidates/s (encode + cheap features + ${pf.screen.members.length}-member MLP ensemble, ${N} candidates, mean prediction ${(preds.reduce((s, v) => s + v, 0) / N * 100).toFixed(1)}%)`);
  console.log(`inner loop (sample + foldForFps + budget check + screen): ${Math.round(loopRate).toLocaleString('en-US')} candidates/s (${fit}/${M} fit 30,000 LUTs at 1,000 fps)`);

  // 1b. the search's own surrogate (GP over the shipped table): fit time and prediction rate
  {
    const { Surrogate, imagesSeen } = await import('../src/search/surrogate.js');
    const table = readTable(predFile.replace(/\.json$/, '.table.jsonl'));
    const rowsS = table.map((r) => ({ key: r.key, genome: r.genome, imagesSeen: imagesSeen(r.schedule), recipe: 'base', acc: r.acc, source: 'table' }));
    const tf0 = performance.now();
    const sur = Surrogate.fit(rowsS, space);
    const fitMs = performance.now() - tf0;
    const tp0 = performance.now();
    sur.predict(gs.slice(0, 5000), 360000);
    const rate = 5000 / ((performance.now() - tp0) / 1000);
    console.log(`surrogate (GP, ${rowsS.length} rows): fit ${fitMs.toFixed(0)} ms, ${Math.round(rate).toLocaleString('en-US')} predictions/s with uncertainty`);
  }

  // 2. Kendall tau of 5-fold cross-validation on the shipped table (every row held out once)
  const rows = readTable(predFile.replace(/\.json$/, '.table.jsonl'));
  const tr = trainPredictor(rows, space, { seed: 1, folds: 5, dataset: 'fashion-mnist' });
  console.log(`Kendall tau, ${tr.folds}-fold cross-validation (each of the ${rows.length} table rows predicted by a model that did not see it): screen ${tr.tauScreen.toFixed(3)}, full (with proxies) ${tr.tauFull?.toFixed(3) ?? '-'} (goal >= 0.7)`);

  if (process.argv.includes('--skip-runs')) return;
  await runs();
}

/** 3. co-search vs separate, several budgets and seeds, one QAT speed for all runs (side by side). */
async function runs(): Promise<void> {
  const budgetMinutes = Number(arg('budget-minutes', '6'));
  const seeds = arg('seeds', '1,2,3').split(',').map(Number);
  const qatSpeed = arg('qat-speed', '7.1e-4,6.3e-10,4e-7,2e-8');
  const fps = Number(arg('fps', '1000'));
  const base = mkdtempSync(join(tmpdir(), 'cosearch-bench-'));
  const budgets = arg('luts-list', '30000,3000,1500').split(',').map(Number);
  const strategies = arg('strategies', 'cosearch,separate').split(',') as Array<'cosearch' | 'separate'>;
  const spaceArg = arg('space');
  const noPrior = process.argv.includes('--no-prior');
  console.log(`\nco-search vs separate (xc7z020, 100 MHz, ${fps} fps; --budget-minutes ${budgetMinutes}, --qat-speed ${qatSpeed}, seeds ${seeds.join(',')}; runs in ${base})`);
  console.log('LUT budget  strategy   seed  winner                                                LUT     fps  accuracy');
  const summary: string[] = [];
  for (const luts of budgets) {
    for (const strategy of strategies) {
      const accs: number[] = [];
      let invalid = 0;
      for (const seed of seeds) {
        const out = join(base, `${strategy}-${luts}-${seed}`);
        let r: SearchResult | null = null;
        let err = '';
        try {
          r = await search({ luts, fps, part: 'xc7z020', strategy, out, seed, qatSpeed, budgetMinutes, csimImages: 0, ...(spaceArg ? { space: spaceArg } : {}), noPrior });
        } catch (e) {
          if (!(e instanceof CosearchError)) throw e;
          err = e.message;
        }
        if (r) {
          accs.push(r.winner.finalAcc);
          console.log(`${luts.toLocaleString('en-US').padStart(10)}  ${strategy.padEnd(9)}  ${String(seed).padStart(4)}  ${r.winner.key.padEnd(52)} ${Math.round(r.winner.lut).toLocaleString('en-US').padStart(7)} ${Math.round(r.winner.fps).toLocaleString('en-US').padStart(7)}  ${(r.winner.finalAcc * 100).toFixed(2)}%  (${((r.winner.finalAcc * 100) / (r.winner.lut / 1000)).toFixed(2)} points per 1k LUT)`);
        } else {
          invalid++;
          console.log(`${luts.toLocaleString('en-US').padStart(10)}  ${strategy.padEnd(9)}  ${String(seed).padStart(4)}  no valid design: ${err.slice(0, 160)}`);
        }
      }
      const mean = accs.length ? accs.reduce((x, y) => x + y, 0) / accs.length : NaN;
      const spread = accs.length ? Math.max(...accs) - Math.min(...accs) : NaN;
      summary.push(`${luts.toLocaleString('en-US').padStart(10)}  ${strategy.padEnd(9)}  mean ${Number.isNaN(mean) ? '   -  ' : (mean * 100).toFixed(2) + '%'}  spread ${Number.isNaN(spread) ? '-' : (spread * 100).toFixed(2) + ' points'}  valid ${accs.length}/${seeds.length}${invalid ? ` (${invalid} found no valid design)` : ''}`);
    }
  }
  console.log('\nsummary (winner accuracy after its final training, integer model, full test split)');
  for (const l of summary) console.log(l);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
