/**
 * Accuracy-predictor quality on the shipped bench-space table (prints figures):
 *
 *   npx tsx bench/predictor.ts [--table FILE] [--shuffles 3] [--noise N]
 *
 *  1. Kendall tau of 5-fold cross-validation (every row predicted by a model that did not see it), repeated over
 *     `--shuffles` fold assignments, for the shipped feature sets (summary encoding + cheap features, screen;
 *     + zero-cost proxies, full) and, for comparison, the per-slot encoding (encodeGenome) the predictor used
 *     before: ~40 mostly-empty inputs that over-fit a table of a few hundred rows.
 *  2. With --noise N: the ground truth's own repeatability. N rows (seeded choice) are trained again with the
 *     table's schedule but training seed 2, and evaluated on all 10,000 test images; Kendall tau between the two
 *     measurements is the ceiling no predictor of this table can beat by much (~30 s per row on 2 cores).
 */
import { Rng } from '../src/core/rng.js';
import { cheapFeatureVector, cheapFeatures, encodeGenome, toDesign, type SearchSpace } from '../src/core/space.js';
import { kendallTau } from '../src/core/stats.js';
import { initBackend } from '../src/ml/backend.js';
import { loadDataset } from '../src/ml/datasets.js';
import { crossValidatedTau, featureRow } from '../src/ml/predictor.js';
import { proxyFeatureVector } from '../src/ml/proxies.js';
import { trainDesign } from '../src/ml/train.js';
import { defaultPredictorPath } from '../src/run/predictor-file.js';
import { loadSpace } from '../src/run/space-file.js';
import { readTable, type TableRow } from '../src/run/table.js';
import { arg } from './lib/args.js';


async function main(): Promise<void> {
  await initBackend('auto');
  const { space } = loadSpace('default-28x28x1');
  const table = arg('table') ?? defaultPredictorPath(space.name, 'fashion-mnist').replace(/\.json$/, '.table.jsonl');
  const rows = readTable(table);
  const shuffles = Number(arg('shuffles') ?? 3);
  console.log(`bench/predictor: ${rows.length} rows of ${table}; 5-fold cross-validation, ${shuffles} fold assignments (goal: Kendall tau >= 0.7)`);
  const perSlot = (s: SearchSpace, r: TableRow, prox: boolean): number[] => [
    ...Array.from(encodeGenome(r.genome, s)),
    ...cheapFeatureVector(cheapFeatures(r.genome, s)),
    ...(prox && r.proxies ? proxyFeatureVector(r.proxies) : []),
  ];
  const sets: [string, (r: TableRow) => number[]][] = [
    ['summary + cheap (screen)', (r) => featureRow(r.genome, space, null)],
    ['summary + cheap + proxies (full)', (r) => featureRow(r.genome, space, r.proxies)],
    ['per-slot encoding + cheap + proxies', (r) => perSlot(space, r, true)],
  ];
  const acc = rows.map((r) => r.acc);
  for (const [label, feats] of sets) {
    const x = rows.map(feats);
    const n = x[0]!.length;
    const names = Array.from({ length: n }, (_, i) => `f${i}`);
    const taus: number[] = [];
    for (let s = 0; s < shuffles; s++) taus.push(crossValidatedTau(names, x, acc, 5, { seed: 100 + s }));
    const mean = taus.reduce((a, b) => a + b, 0) / taus.length;
    console.log(`  ${label.padEnd(38)} ${n} inputs  tau ${taus.map((t) => t.toFixed(3)).join(' ')}  mean ${mean.toFixed(3)}`);
  }

  const noise = Number(arg('noise') ?? 0);
  if (noise > 0) {
    const sched = rows[0]!.schedule;
    const pick = new Rng(7).shuffle(rows.map((_, i) => i)).slice(0, noise).map((i) => rows[i]!);
    const train = loadDataset({ name: 'fashion-mnist', split: 'train', limit: sched.trainLimit });
    const test = loadDataset({ name: 'fashion-mnist', split: 'test' });
    const a: number[] = [];
    const b: number[] = [];
    for (const r of pick) {
      const t = await trainDesign(toDesign(r.genome, space), { dataset: 'fashion-mnist', epochs: sched.epochs, seed: sched.seed + 1, batchSize: sched.batchSize, trainLimit: sched.trainLimit, train, test, refCheck: 0 });
      a.push(r.acc);
      b.push(t.intTestAcc);
      process.stderr.write(`[${a.length}/${noise}] ${r.key}: table ${(100 * r.acc).toFixed(2)}%, again ${(100 * t.intTestAcc).toFixed(2)}%\n`);
    }
    console.log(`ground-truth repeatability: Kendall tau ${kendallTau(a, b).toFixed(3)} between the table (seed ${sched.seed}, ${sched.testLimit} test images) and a second training (seed ${sched.seed + 1}, 10,000 test images) of ${noise} rows`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
