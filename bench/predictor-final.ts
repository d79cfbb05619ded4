/**
 * The surrogate of FINAL accuracy against held-out trainings at a long schedule (prints figures):
 *   npx tsx bench/predictor-final.ts [--final bench/data/final3.fashion-mnist.table.jsonl] [--prior table|shipped]
 * Ground truth: `cosearch bench-space --epochs 3 --train-limit 60000 --test-limit 10000 --max-macs 4000000 --seed 7
 * --out <final table>` and the same with `--seed 8` (3 epochs on the full training set, all 10,000 test images;
 * seeds 7 and 8, so none of their candidates is in the shipped 1-epoch table, which uses seed 1), then 9 rows where
 * the surrogate fitted on those predicted the most at 6 epochs (one per skeleton, fitting 30,000 LUTs at 1,000 fps,
 * at most 4M MACs; with the two demo winners and the issue's plain two-conv net) by `--keys @FILE` and the same
 * schedule. Each held-out row is predicted by a surrogate fitted on
 *   (a) the shipped 1-epoch/6,000-image table only (pure extrapolation in fidelity),
 *   (b) (a) + the other final rows (the prior a search on Fashion-MNIST starts from when they are shipped),
 *   (c) (b) + the held-out candidate's own 1-epoch/6,000-image result (what the search knows after rung r0; the r0
 *       rows: the same commands with `--epochs 1 --train-limit 6000 --test-limit 2000`, bench/data/final3.fashion-mnist.r0.table.jsonl),
 *   (d) (c) + its own 1-epoch/20,000-image result (rung r1: `cosearch bench-space --keys @FILE --epochs 1
 *       --train-limit 20000 --test-limit 2000`, bench/data/final3.fashion-mnist.r1.table.jsonl),
 *   (e) (b) + every final row's r0 and r1 results (what the shipped e3-r0 and e3-r1 tables give a search),
 *   (f) (e) + its own 1-epoch/50,000-image result (a third rung, r2: `cosearch bench-space --keys @FILE --epochs 1
 *       --train-limit 50000 --test-limit 10000 --eval-on validation`, measured on the last 10,000 training images,
 *       bench/data/final3.fashion-mnist.r2v.table.jsonl),
 *   (g) (e) + every final row's r2 result but its own (r2 rows of other candidates only),
 *   (h) (e) + every final row's r2 result, its own too (the shipped e3-r2 table plus a search's own r2 job),
 * and Kendall tau, mean |error| and the share inside +-1 std (of the latent accuracy, and of a measurement) are printed, with the rows' LUT range at 1,000 fps.
 *
 * Out of sample: `--final bench/data/final3s9.fashion-mnist.table.jsonl --prior shipped` takes as the prior every
 * shipped table a Fashion-MNIST search starts from (constraints/predictor/default-28x28x1.fashion-mnist*.table.jsonl:
 * the 1-epoch table and the 37 rows above with their r0, r1 and r2 results, and since 2026-12-03 the 20 rows below
 * with theirs, src/search/prior.ts) instead of the 1-epoch table alone, without any row of the final rows' candidates. The held-out set: `cosearch bench-space
 * -n 20 --seed 9 --max-macs 4000000` (none in any shipped or bench table; key lists bench/data/final3s9.keys-{A,B}.txt),
 * trained with `--keys @FILE --epochs 3 --train-limit 60000 --test-limit 10000`, and its r0, r1, r2v rows as above.
 * Variant (h) was chosen on the 37 rows before this set was trained; here it reads (shipped prior) + the other
 * held-out final rows + every held-out row's r0, r1 and r2 results.
 */
import { existsSync } from 'node:fs';
import { kendallTau } from '../src/core/stats.js';
import { toDesign } from '../src/core/space.js';
import { loadCalibration, loadPart } from '../src/parts.js';
import { evaluateHardware } from '../src/run/hardware.js';
import { loadSpace } from '../src/run/space-file.js';
import { readTable, type TableRow } from '../src/run/table.js';
import { priorRows } from '../src/search/prior.js';
import { imagesSeen, Surrogate, type SurrogateRow } from '../src/search/surrogate.js';
import { arg } from './lib/args.js';

const toRow = (r: TableRow, source: string): SurrogateRow => ({ key: r.key, genome: r.genome, imagesSeen: imagesSeen(r.schedule), recipe: 'base', acc: r.acc, source });

async function main(): Promise<void> {
  const { space } = loadSpace('default-28x28x1');
  const finalFile = arg('final', 'bench/data/final3.fashion-mnist.table.jsonl');
  const priorKind = arg('prior', 'table');
  if (priorKind !== 'table' && priorKind !== 'shipped') throw new Error(`--prior ${priorKind}: use table (the 1-epoch table) or shipped (every shipped table)`);
  const fin = readTable(finalFile);
  const finKeys = new Set(fin.map((r) => r.key));
  // out of sample: no row of a held-out candidate at any fidelity stays in the prior (its own r0..r2 enter by variant)
  const shipped = priorKind === 'shipped' ? priorRows(space, 'fashion-mnist', []) : [];
  const prior =
    priorKind === 'shipped'
      ? shipped.filter((r) => !finKeys.has(r.key))
      : readTable('constraints/predictor/default-28x28x1.fashion-mnist.table.jsonl').map((r) => toRow(r, 'table'));
  console.log(`prior: ${prior.length} rows (${priorKind === 'shipped' ? `every shipped table, without the ${shipped.length - prior.length} rows of the final rows' candidates` : 'the shipped 1-epoch table'})`);
  const r0File = arg('r0', finalFile.replace(/\.table\.jsonl$/, '.r0.table.jsonl'));
  const r0 = existsSync(r0File) ? new Map(readTable(r0File).map((r) => [r.key, r])) : new Map<string, TableRow>();
  const r1File = arg('r1', finalFile.replace(/\.table\.jsonl$/, '.r1.table.jsonl'));
  const r1 = existsSync(r1File) ? new Map(readTable(r1File).map((r) => [r.key, r])) : new Map<string, TableRow>();
  const r2File = arg('r2', finalFile.replace(/\.table\.jsonl$/, '.r2v.table.jsonl'));
  const r2 = existsSync(r2File) ? new Map(readTable(r2File).map((r) => [r.key, r])) : new Map<string, TableRow>();
  const hw = { part: loadPart('xc7z020'), calib: loadCalibration(), clockMHz: 100, budget: { luts: 1e9, fps: 1000 } };
  const luts = fin.map((r) => evaluateHardware(toDesign(r.genome, space), hw).hw.lut);
  console.log(`final rows: ${fin.length} (${finalFile}), schedule ${JSON.stringify(fin[0]?.schedule)}; LUTs at 1,000 fps ${Math.round(Math.min(...luts))}..${Math.round(Math.max(...luts))}; accuracy ${(Math.min(...fin.map((r) => r.acc)) * 100).toFixed(1)}..${(Math.max(...fin.map((r) => r.acc)) * 100).toFixed(1)}%`);
  const variants: Array<[string, (i: number) => SurrogateRow[]]> = [
    [priorKind === 'shipped' ? '(a) shipped prior only' : '(a) 1-epoch table only', () => prior],
    ['(b) + other final rows', (i) => [...prior, ...fin.filter((_, j) => j !== i).map((r) => toRow(r, 'final'))]],
  ];
  const own = (m: Map<string, TableRow>, i: number, source: string): SurrogateRow[] => (m.has(fin[i]!.key) ? [toRow(m.get(fin[i]!.key)!, source)] : []);
  const others = (i: number): SurrogateRow[] => fin.filter((_, j) => j !== i).map((r) => toRow(r, 'final'));
  if (r0.size) variants.push(['(c) + its own r0 result', (i) => [...prior, ...others(i), ...own(r0, i, 'r0')]]);
  if (r0.size && r1.size) {
    variants.push(['(d) + its own r0 and r1', (i) => [...prior, ...others(i), ...own(r0, i, 'r0'), ...own(r1, i, 'r1')]]);
    // every final row's r0 and r1 results in the prior (what shipping those tables gives), the held-out one's too
    const short = [...[...r0.values()].map((r) => toRow(r, 'r0')), ...[...r1.values()].map((r) => toRow(r, 'r1'))];
    variants.push(['(e) (b) + all rows r0, r1', (i) => [...prior, ...others(i), ...short]]);
    if (r2.size) {
      const r2Rows = [...r2.values()].map((r) => toRow(r, 'r2'));
      variants.push(['(f) (e) + its own r2', (i) => [...prior, ...others(i), ...short, ...own(r2, i, 'r2')]]);
      variants.push(['(g) (e) + others\' r2', (i) => [...prior, ...others(i), ...short, ...r2Rows.filter((r) => r.key !== fin[i]!.key)]]);
      variants.push(['(h) (e) + all rows r2', (i) => [...prior, ...others(i), ...short, ...r2Rows]]);
    }
  }
  for (const [name, rowsFor] of variants) {
    const pred: number[] = [];
    const std: number[] = [];
    const obs: number[] = [];
    fin.forEach((r, i) => {
      const s = Surrogate.fit(rowsFor(i), space);
      const p = s.predict([r.genome], imagesSeen(r.schedule))![0]!;
      pred.push(p.mean);
      std.push(p.std);
      obs.push(p.obsStd ?? p.std);
    });
    const truth = fin.map((r) => r.acc);
    const mae = pred.reduce((s, p, i) => s + Math.abs(p - truth[i]!), 0) / pred.length;
    const inside = pred.filter((p, i) => Math.abs(p - truth[i]!) <= std[i]!).length / pred.length;
    const insideObs = pred.filter((p, i) => Math.abs(p - truth[i]!) <= obs[i]!).length / pred.length;
    console.log(
      `${name.padEnd(28)} tau ${kendallTau(pred, truth).toFixed(3)}  mean |error| ${(mae * 100).toFixed(2)} points  within 1 std ${(inside * 100).toFixed(0)}% ` +
        `(latent), ${(insideObs * 100).toFixed(0)}% (a measurement's std: latent + noise)`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
