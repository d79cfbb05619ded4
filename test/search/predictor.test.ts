/**
 * Accuracy predictor and zero-cost proxies on real data: the shipped bench-space table, real Fashion-MNIST batches.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/core/rng.js';
import { sampleGenome, toDesign } from '../../src/core/space.js';
import { initBackend } from '../../src/ml/backend.js';
import { loadDataset } from '../../src/ml/datasets.js';
import { featureRow, predictRows, trainPredictor, type PredictorFile } from '../../src/ml/predictor.js';
import { computeProxies, disposeProxyBatch, logAbsDet, makeProxyBatch } from '../../src/ml/proxies.js';
import { defaultPredictorPath, loadPredictor } from '../../src/run/predictor-file.js';
import { loadSpace } from '../../src/run/space-file.js';
import { benchSpace, readTable, tableCandidates } from '../../src/run/table.js';
import { genomeKey } from '../../src/core/space.js';
import { cli } from '../cli/helpers.js';

const { space } = loadSpace('default-28x28x1');
const tableFile = join(defaultPredictorPath('default-28x28x1', 'fashion-mnist').replace(/\.json$/, '.table.jsonl'));

describe('zero-cost proxies', () => {
  it('log|det| by LU matches closed forms', () => {
    expect(logAbsDet(Float64Array.from([4, 2, 2, 3]), 2)).toBeCloseTo(Math.log(8));
    expect(logAbsDet(Float64Array.from([1, 1, 1, 1]), 2)).toBe(-Infinity);
  });

  it('NASWOT and linear regions on a real batch: deterministic, finite, larger for a wider network', async () => {
    await initBackend('auto');
    const ds = loadDataset({ name: 'fashion-mnist', split: 'train', limit: 500 });
    const batch = makeProxyBatch(ds, 1);
    try {
      const g = { convs: [{ ch: 4, k: 3, pad: 'same' as const, pool: true, w: 2, a: 2 }], dense: [], outW: 4 };
      const wide = { ...g, convs: [{ ...g.convs[0]!, ch: 64 }] };
      const a = computeProxies(toDesign(g, space), batch, 1);
      const a2 = computeProxies(toDesign(g, space), batch, 1);
      const b = computeProxies(toDesign(wide, space), batch, 1);
      expect(a2).toEqual(a);
      expect(Number.isFinite(a.naswot) && a.naswot > 0).toBe(true);
      expect(a.units).toBe(28 * 28 * 4);
      expect(b.units).toBe(28 * 28 * 64);
      expect(b.naswot).toBeGreaterThan(a.naswot);
      expect(b.linearRegions).toBeGreaterThan(a.linearRegions);
    } finally {
      disposeProxyBatch(batch);
    }
  });
});

describe('accuracy predictor', () => {
  it('trains on the shipped table, reports k-fold cross-validated Kendall tau, round-trips through JSON', async () => {
    await initBackend('auto');
    const rows = readTable(tableFile).slice(0, 30);
    expect(rows.length).toBeGreaterThanOrEqual(20);
    const folds: number[] = [];
    const r = trainPredictor(rows, space, { seed: 3, dataset: 'fashion-mnist', steps: 300, members: 2, folds: 3, onFold: (f) => folds.push(f) });
    expect(folds).toEqual([0, 1, 2, 0, 1, 2]); // screen and full models, 3 folds each
    expect(r.heldOut).toBe(30);
    expect(r.file.folds).toBe(3);
    expect(r.tauScreen).toBeGreaterThanOrEqual(-1);
    expect(r.tauScreen).toBeLessThanOrEqual(1);
    expect(r.tauFull).not.toBeNull();
    const back = JSON.parse(JSON.stringify(r.file)) as PredictorFile;
    const feats = rows.map((x) => featureRow(x.genome, space, null));
    expect(Array.from(predictRows(back.screen, feats))).toEqual(Array.from(predictRows(r.file.screen, feats)));
    // it learned something: training-set predictions correlate with the measured accuracies
    const p = predictRows(r.file.screen, feats);
    const acc = rows.map((x) => x.acc);
    const mean = (xs: ArrayLike<number>): number => Array.from(xs).reduce((s, v) => s + v, 0) / xs.length;
    const mp = mean(p);
    const ma = mean(acc);
    let cov = 0;
    let vp = 0;
    let va = 0;
    for (let i = 0; i < rows.length; i++) {
      cov += (p[i]! - mp) * (acc[i]! - ma);
      vp += (p[i]! - mp) ** 2;
      va += (acc[i]! - ma) ** 2;
    }
    expect(cov / Math.sqrt(vp * va)).toBeGreaterThan(0.5);
  }, 120_000);

  it('the shipped predictor loads and screens thousands of candidates per second', () => {
    const pf = loadPredictor(defaultPredictorPath('default-28x28x1', 'fashion-mnist'), space);
    const rng = new Rng(1);
    const gs = Array.from({ length: 3000 }, () => sampleGenome(space, rng));
    const t0 = performance.now();
    const preds = predictRows(pf.screen, gs.map((g) => featureRow(g, space, null)));
    const perSec = gs.length / ((performance.now() - t0) / 1000);
    expect(preds.every((x) => Number.isFinite(x))).toBe(true);
    expect(new Set(Array.from(preds)).size).toBeGreaterThan(100);
    // bench/search.ts measures the real figure (>= 10,000/s on an idle 2-core machine); stay loose under test load
    expect(perSec).toBeGreaterThan(2000);
  });

  it('cosearch predictor train TABLE --out FILE prints Kendall tau', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pred-'));
    const t = join(dir, 't.jsonl');
    writeFileSync(t, readFileSync(tableFile, 'utf8').split('\n').slice(0, 20).join('\n') + '\n');
    const out = join(dir, 'p.json');
    const r = await cli(['predictor', 'train', t, '--out', out, '--steps', '200']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/cross-validation fold 5\/5/); // progress on stderr, the result on stdout
    expect(r.stdout).toMatch(/Kendall tau \(5-fold cross-validation, out-of-fold predictions of all rows\): screen -?[\d.]+, full \(with proxies\) -?[\d.]+/);
    expect(loadPredictor(out, space).rows).toBe(20);
    const bad = await cli(['predictor', 'train', join(dir, 'missing.jsonl'), '--out', out]);
    expect(bad.code).toBe(66); // NoInputError
    expect(bad.stderr).toMatch(/table not found/);
    const badFolds = await cli(['predictor', 'train', t, '--out', out, '--folds', '1']);
    expect(badFolds.code).toBe(64);
    expect(badFolds.stderr).toMatch(/--folds must be an integer >= 2/);
  }, 120_000);

  it('bench-space appends rows, skips keys already in the table and continues the same sequence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-space-'));
    const out = join(dir, 't.jsonl');
    const schedule = { epochs: 1, trainLimit: 256, testLimit: 100, batchSize: 64, seed: 1 };
    const common = { space, dataset: 'fashion-mnist' as const, out, seed: 9, schedule, maxMacs: 3e5 };
    const r1 = await benchSpace({ ...common, n: 2 });
    expect(r1.added).toBe(2);
    const r2 = await benchSpace({ ...common, n: 3 });
    expect(r2.added).toBe(1);
    const rows = readTable(out);
    expect(rows.map((r) => r.key)).toEqual(tableCandidates(space, 3, 9, 3e5).map(genomeKey));
    for (const r of rows) {
      expect(r.cheap.macs).toBeLessThanOrEqual(3e5);
      expect(r.acc).toBeGreaterThan(0);
      expect(Number.isFinite(r.proxies.naswot)).toBe(true);
    }
    // a row of another schedule is refused
    await expect(benchSpace({ ...common, n: 3, schedule: { ...schedule, epochs: 2 } })).rejects.toThrow(/another space\/dataset\/schedule/);
  }, 120_000);

  it('bench-space --keys trains the named candidates in order (comma list or @file), and refuses keys outside the space', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-keys-'));
    const out = join(dir, 't.jsonl');
    const sched = ['--epochs', '1', '--train-limit', '128', '--test-limit', '64'];
    const keys = ['c4k3vpw2a2||o4', 'c8k3spw4a4|d16w4a4|o8'];
    const r = await cli(['bench-space', '--keys', keys.join(','), '--out', out, ...sched]);
    expect(r.code, r.stderr).toBe(0);
    expect(readTable(out).map((row) => row.key)).toEqual(keys);
    const file = join(dir, 'keys.txt');
    writeFileSync(file, `# favourites\n${keys[1]}\nc4k5vpw3a1||o2\n`);
    const r2 = await cli(['bench-space', '--keys', `@${file}`, '--out', out, ...sched]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).toMatch(/added 1 rows \(3 in the table\)/);
    expect(readTable(out).map((row) => row.key)).toEqual([...keys, 'c4k5vpw3a1||o2']);
    const bad = await cli(['bench-space', '--keys', 'c4k7vpw2a2||o4', '--out', out, ...sched]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/key 1 \(c4k7vpw2a2\|\|o4\) is not in the space default-28x28x1/);
    const none = await cli(['bench-space', '--out', out]);
    expect(none.code).toBe(64);
    expect(none.stderr).toMatch(/needs --n N \(sampled candidates\) or --keys/);
    expect(readTable(out)).toHaveLength(3); // nothing written by the refused runs
  }, 120_000);

  it('bench-space --train-seed: a replicate at another training seed is its own schedule (its own table)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-seed-'));
    const sched = ['--epochs', '1', '--train-limit', '128', '--test-limit', '64', '--keys', 'c8k3spw4a4|d16w4a4|o8'];
    const one = join(dir, 'seed1.jsonl');
    const two = join(dir, 'seed2.jsonl');
    expect((await cli(['bench-space', '--out', one, ...sched])).code).toBe(0);
    const r = await cli(['bench-space', '--out', two, '--train-seed', '2', ...sched]);
    expect(r.code, r.stderr).toBe(0);
    const [a] = readTable(one);
    const [b] = readTable(two);
    expect(a!.schedule.seed).toBe(1);
    expect(b!.schedule.seed).toBe(2);
    // appending the replicate to the seed-1 table is refused: one schedule per table
    const mixed = await cli(['bench-space', '--out', one, '--train-seed', '2', ...sched]);
    expect(mixed.code).not.toBe(0);
    expect(mixed.stderr).toMatch(/another space\/dataset\/schedule/);
  }, 120_000);
});
