/**
 * Search benchmarks (prints figures; run with `npx tsx bench/search.ts [--skip-runs] [--final-epochs N]
 * [--final-train-limit N] [--budget-minutes M] [--luts-list 30000,10000,3000]`):
 *  1. predictor-only screening rate: candidates/s for encode + cheap features + MLP (screen model), and the
 *     whole inner loop (sample + fold + budget check + screen) per candidate;
 *  2. Kendall tau of predicted vs measured accuracy, 5-fold cross-validated on the shipped bench-space table;
 *  3. co-search vs the separate baseline on the same budgets (30,000, 10,000 and a tight 3,000 LUTs at 1,000 fps
 *     on xc7z020), printing both winners' accuracy and LUTs. By default the final training is shortened (1 epoch
 *     on 10,000 images) so the whole bench runs in well under an hour on 2 cores; pass --final-epochs and
 *     --final-train-limit 60000 for the full schedule.
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

  // 2. Kendall tau of 5-fold cross-validation on the shipped table (every row held out once)
  const rows = readTable(predFile.replace(/\.json$/, '.table.jsonl'));
  const tr = trainPredictor(rows, space, { seed: 1, folds: 5, dataset: 'fashion-mnist' });
  console.log(`Kendall tau, ${tr.folds}-fold cross-validation (each of the ${rows.length} table rows predicted by a model that did not see it): screen ${tr.tauScreen.toFixed(3)}, full (with proxies) ${tr.tauFull?.toFixed(3) ?? '-'} (goal >= 0.7)`);

  // 3. co-search vs separate
  if (process.argv.includes('--skip-runs')) return;
  const finalEpochs = Number(arg('final-epochs') ?? 1);
  const finalTrainLimit = Number(arg('final-train-limit') ?? 10000);
  const base = mkdtempSync(join(tmpdir(), 'cosearch-bench-'));
  console.log(`\nco-search vs separate (xc7z020, 100 MHz, 1,000 fps; winner trained ${finalEpochs} epoch(s) on ${finalTrainLimit} images; runs in ${base})`);
  console.log('LUT budget  strategy   winner                                              LUT     fps     accuracy');
  const budgets = (arg('luts-list') ?? '30000,10000,3000').split(',').map(Number);
  for (const luts of budgets) {
    for (const strategy of ['cosearch', 'separate'] as const) {
      const out = join(base, `${strategy}-${luts}`);
      let r: SearchResult | null = null;
      let err = '';
      try {
        r = await search({ luts, fps: 1000, part: 'xc7z020', strategy, out, seed: 1, topK: 2, finalEpochs, finalTrainLimit, confirmTrainLimit: Number(arg('confirm-train-limit') ?? 4000), csimImages: 0, budgetMinutes: Number(arg('budget-minutes') ?? 25) });
      } catch (e) {
        if (!(e instanceof CosearchError)) throw e;
        err = e.message;
      }
      if (r) console.log(`${luts.toLocaleString('en-US').padStart(10)}  ${strategy.padEnd(9)}  ${r.winner.key.padEnd(50)} ${Math.round(r.winner.lut).toLocaleString('en-US').padStart(7)} ${Math.round(r.winner.fps).toLocaleString('en-US').padStart(7)}  ${(r.winner.finalAcc * 100).toFixed(2)}%`);
      else console.log(`${luts.toLocaleString('en-US').padStart(10)}  ${strategy.padEnd(9)}  no design fits: ${err}`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
