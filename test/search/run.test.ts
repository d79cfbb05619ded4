/**
 * Needs: g++ and the Fashion-MNIST dataset (real trainings and C simulation).
 * Real end-to-end searches on Fashion-MNIST (needs the dataset and g++): a tiny space and tiny fidelities so a run
 * takes well under a minute. Checks the winner and the run directory, kill -9 in every phase then --resume (same
 * winner, job results and pareto.json as the uninterrupted run, for two seeds), resuming a finished run changes
 * nothing, an impossible budget, the separate baseline, and a dataset the tool has never seen (an IDX directory
 * built here: a relabelled 5-class subset of Fashion-MNIST) with no table or predictor.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { search, type SearchOptions, type SearchResult } from '../../src/search.js';
import { packageRoot } from '../../src/io.js';
import { DataError } from '../../src/errors.js';
import { readJournal } from '../../src/run/journal.js';
import { budgetViolations } from '../../src/core/budget.js';
import { encodeIdx, loadDataset, subsetDataset } from '../../src/ml/datasets.js';
import { FINAL_SHARE, finalEpochsFor, finalSecondsAfterSearch, jobSeconds, makePlan, MIN_FINAL_EPOCHS, SEARCH_SHARE } from '../../src/search/plan.js';
import { parseQatSpeed } from '../../src/search/options.js';
import { parseGenomeKey } from '../../src/search/key.js';
import { cheapFeatures } from '../../src/core/space.js';
import { loadSpace } from '../../src/run/space-file.js';
import type { Fidelity } from '../../src/search/jobs.js';

const root = packageRoot();
const space = join(root, 'test/fixtures/spaces/tiny-28x28x1.json');
const tiny = { luts: 6000, fps: 1000, part: 'xc7z020', workers: 1, space, qatSpeed: '3e-4,1e-9', trainLimit: 400, testLimit: 200, waves: 2, waveSize: 4, finalEpochs: 2, csimImages: 5 };
const cli = (seed: number): string[] => [
  '--luts', '6000', '--fps', '1000', '--part', 'xc7z020', '--workers', '1', '--space', space, '--qat-speed', '3e-4,1e-9', '--train-limit', '400', '--test-limit', '200',
  '--waves', '2', '--wave-size', '4', '--final-epochs', '2', '--csim-images', '5', '--seed', String(seed),
];

function records(dir: string): { type: string; [k: string]: unknown }[] {
  return readJournal(join(dir, 'journal.jsonl')).records;
}
/** The journaled job results: id -> accuracy (a set: order may differ with remote workers, never the content). */
const jobResults = (dir: string): Record<string, number> =>
  Object.fromEntries(records(dir).filter((r) => r.type === 'job').map((r) => [r.id as string, (r.result as { acc: number }).acc]));

function runCli(args: string[], killWhen?: (line: string) => boolean, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    let killed = false;
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (killWhen && !killed && err.split('\n').some(killWhen)) {
        killed = true;
        p.kill('SIGKILL');
      }
    });
    p.on('close', (code, signal) => resolve({ code, signal, stderr: err }));
  });
}

describe('search runs (real data)', () => {
  const base = mkdtempSync(join(tmpdir(), 'cosearch-search-'));
  const results = new Map<number, SearchResult>();
  const dirOf = (seed: number): string => join(base, `ref-${seed}`);

  beforeAll(async () => {
    for (const seed of [3, 4]) results.set(seed, await search({ ...tiny, seed, out: dirOf(seed) } as SearchOptions));
  }, 300_000);

  it('end to end: the winner fits and is trained at the final schedule; csim bit-exact; run directory complete', () => {
    const a = results.get(3)!;
    const w = a.winner;
    expect(w.lut).toBeLessThanOrEqual(6000);
    expect(w.fps).toBeGreaterThanOrEqual(1000);
    expect(budgetViolations(a.report, { luts: 6000, fps: 1000 })).toEqual([]);
    expect(w.finalAcc).toBeGreaterThan(0.3); // 2 epochs on 400 images; chance is 0.1
    expect(w.epochs).toBe(2);
    expect(a.csim?.ok).toBe(true);
    for (const f of ['journal.jsonl', 'pareto.json', 'report.json', 'report.html', 'best/design.json', 'best/model/intmodel.json', 'best/hls/params.hpp']) expect(existsSync(join(a.runDir, f)), f).toBe(true);
    const rec = records(a.runDir);
    const jobs = rec.filter((r) => r.type === 'job');
    // every job once, by content-derived id; rungs r0, r1 and the final one
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
    expect(new Set(jobs.map((j) => j.rung))).toEqual(new Set(['r0', 'r1', 'final']));
    expect(rec.filter((r) => r.type === 'speed')).toHaveLength(1);
    const rep = JSON.parse(readFileSync(join(a.runDir, 'report.json'), 'utf8'));
    expect(rep.rungs.map((g: { rung: string }) => g.rung).sort()).toEqual(['final', 'r0', 'r1']);
    const pareto = JSON.parse(readFileSync(join(a.runDir, 'pareto.json'), 'utf8'));
    expect(pareto.front.length).toBeGreaterThan(0);
    expect(pareto.front[0].genome).toBeTruthy();
    expect(readFileSync(join(a.runDir, 'report.html'), 'utf8')).toContain('Predicted vs measured, per rung');
  });

  it('kill -9 in the search, the final training and csim, then --resume each time: same winner, job results and pareto.json', async () => {
    const ref = results.get(3)!;
    const dir = join(base, 'killed-3');
    const phases: Array<(l: string) => boolean> = [(l) => l.startsWith('  r0 '), (l) => l.startsWith('train: finalist'), (l) => l.startsWith('emit: HLS project')];
    let r = await runCli([...cli(3), '--out', dir], phases[0]);
    expect(r.signal).toBe('SIGKILL');
    for (const kill of phases.slice(1)) {
      r = await runCli(['--resume', dir], kill);
      expect(r.signal, r.stderr).toBe('SIGKILL');
    }
    r = await runCli(['--resume', dir]);
    expect(r.code, r.stderr).toBe(0);
    const done = records(dir).filter((x) => x.type === 'done');
    expect(done).toHaveLength(1);
    expect(done[0]!.winner).toBe(ref.winner.key);
    expect(jobResults(dir)).toEqual(jobResults(ref.runDir));
    expect(readFileSync(join(dir, 'pareto.json'), 'utf8')).toBe(readFileSync(join(ref.runDir, 'pareto.json'), 'utf8'));
    expect(readFileSync(join(dir, 'best/model/intmodel.bin'))).toEqual(readFileSync(join(ref.runDir, 'best/model/intmodel.bin')));
  }, 300_000);

  it('another seed, killed during r1: the same result as its uninterrupted run', async () => {
    const ref = results.get(4)!;
    const dir = join(base, 'killed-4');
    let r = await runCli([...cli(4), '--out', dir], (l) => l.startsWith('  r1 '));
    expect(r.signal).toBe('SIGKILL');
    r = await runCli(['--resume', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(records(dir).find((x) => x.type === 'done')!.winner).toBe(ref.winner.key);
    expect(jobResults(dir)).toEqual(jobResults(ref.runDir));
    expect(readFileSync(join(dir, 'pareto.json'), 'utf8')).toBe(readFileSync(join(ref.runDir, 'pareto.json'), 'utf8'));
  }, 200_000);

  it('resuming a finished run changes nothing on disk', async () => {
    const dir = results.get(4)!.runDir;
    const files = ['journal.jsonl', 'pareto.json', 'report.json', 'report.html', 'best/model/intmodel.bin'];
    const before = files.map((f) => readFileSync(join(dir, f)));
    const r = await search({ resume: dir } as SearchOptions);
    expect(r.winner.key).toBe(results.get(4)!.winner.key);
    files.forEach((f, i) => expect(readFileSync(join(dir, f)), f).toEqual(before[i]));
  });

  it('--warm-start: a run directory is a table of the same space and dataset; another space is refused', async () => {
    const { priorRows } = await import('../../src/search/prior.js');
    const { loadSpace } = await import('../../src/run/space-file.js');
    const { space: sp } = loadSpace(space);
    const dir = results.get(3)!.runDir;
    const rows = priorRows(sp, 'fashion-mnist', [dir]);
    const jobs = records(dir).filter((r) => r.type === 'job') as Array<{ key: string; fidelity: { recipe: string } }>;
    // every job of the run's rungs is a row; the final training (recipe lr5 by default) is not: the surrogate's
    // rows are all at the base recipe of the shipped tables
    const base = jobs.filter((j) => j.fidelity.recipe === 'base');
    expect(jobs.filter((j) => j.fidelity.recipe === 'lr5')).toHaveLength(1);
    expect(rows).toHaveLength(base.length);
    expect(rows.map((r) => r.key).sort()).toEqual(base.map((j) => j.key).sort());
    expect(rows.every((r) => r.source === `run:${dir}` && r.recipe === 'base')).toBe(true);
    expect(new Set(rows.map((r) => r.imagesSeen))).toEqual(new Set([400, 1200]));
    const { space: other } = loadSpace('default-28x28x1');
    expect(() => priorRows(other, 'fashion-mnist', [dir])).toThrow(/that run searched tiny-28x28x1 on fashion-mnist/);
    // a job whose deadline set other epochs than its fidelity's (a final training) is a row at the epochs it trained
    const copy = mkdtempSync(join(tmpdir(), 'cosearch-warm-deadline-'));
    let first = true;
    const lines = readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n').map((l) => {
      if (!l || !first) return l;
      const r = JSON.parse(l) as { type: string; fidelity?: { recipe: string; epochs: number }; result?: { epochs?: number } };
      if (r.type !== 'job' || r.fidelity?.recipe !== 'base') return l;
      first = false;
      r.result!.epochs = 3 * r.fidelity.epochs;
      return JSON.stringify(r);
    });
    writeFileSync(join(copy, 'journal.jsonl'), lines.join('\n'));
    const moved = priorRows(sp, 'fashion-mnist', [copy]);
    expect(moved.map((r) => r.imagesSeen)).toEqual(rows.map((r, i) => (i === 0 ? 3 * r.imagesSeen : r.imagesSeen)));
  });

  it('--synth yosys: a tool failure exits with its code and is not a result; --resume retries and synthesizes', async () => {
    // a stand-in yosys that cannot get a licence (failure handling only), then the real one
    const bin = join(base, 'fake-bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'yosys'), '#!/bin/sh\necho "ERROR: license checkout failed" >&2\nexit 1\n', { mode: 0o755 });
    const dir = join(base, 'synth');
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    let r = await runCli([...cli(3), '--synth', 'yosys', '--out', dir], undefined, env);
    expect(r.code, r.stderr).toBe(75);
    expect(records(dir).some((x) => x.type === 'synth')).toBe(false);
    expect(records(dir).some((x) => x.type === 'synth-error')).toBe(true);
    r = await runCli(['--resume', dir]);
    expect(r.code, r.stderr).toBe(0);
    const synth = records(dir).filter((x) => x.type === 'synth');
    expect(synth).toHaveLength(1);
    const s = synth[0]!.result as { tool: string; lut: number; fits: boolean; estLut: number };
    expect(s.tool).toBe('yosys');
    expect(s.lut).toBeGreaterThan(0);
    expect(s.fits).toBe(true);
    // the estimate the search trusted is the yosys calibration's (journaled as the calibration used)
    expect((records(dir)[0]!.options as { calibration: string }).calibration).toBe('yosys-xc7');
    const rep = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(rep.calibration).toBe('yosys-xc7');
    expect(rep.synth.lut).toBe(s.lut);
  }, 400_000);

  it('an impossible budget names the smallest design and its LUTs/fps (DataError, exit 65)', async () => {
    const e = await search({ ...tiny, luts: 50, seed: 1, out: join(base, 'impossible') } as SearchOptions).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).exitCode).toBe(65);
    expect((e as Error).message).toMatch(/no design in search space tiny-28x28x1 fits 50 LUTs/);
    expect((e as Error).message).toMatch(/the smallest design found, \S+, needs [\d,]+ LUTs/);
  });

  it('a tight budget where few designs fit: the narrowest-bit variants of the proposals and their neighbours that fit are tried (1,100 LUTs, default space)', async () => {
    // seed 1 sampled 1,198 candidates at random bits and none fit, while c4k5 / c4k3 nets at 1-bit fit in ~1,056 LUTs
    // (the separate baseline found one by quantizing its architecture uniformly); with those alone the wave's four
    // candidates were all uniform 1-bit, the baseline's own kind of design: widening them while they fit, and the
    // walks from them, give mixed precision
    const r = await search({ ...tiny, space: 'default-28x28x1', noPrior: true, luts: 1100, waves: 1, finalEpochs: 1, csimImages: 0, seed: 1, out: join(base, 'tight') } as SearchOptions);
    expect(r.winner.lut).toBeLessThanOrEqual(1100);
    expect(r.winner.fps).toBeGreaterThanOrEqual(1000);
    const r0 = records(r.runDir).filter((x) => x.type === 'job' && x.rung === 'r0').map((x) => x.key as string);
    expect(r0.length).toBe(tiny.waveSize);
    // some candidate has a layer wider than 1-bit weights and activations (the classifier's bits not counted)
    expect(r0.some((k) => /w[2-9]|a[2-9]/.test(k.replace(/\|o\d+$/, '')))).toBe(true);
  });

  it('what the search leaves of its share goes to the final training (no --final-epochs)', async () => {
    // a given speed of 30 ms per image: the final share of 5 minutes (174 s, less 9 s evaluating 200 test images)
    // is 13.7 epochs of 400 images; one wave
    // of one candidate (r0, then r1) plans 66 s of the search's 90 s, and the 24 s left go to the final
    const qatSpeed = '3e-2,1e-9';
    const events: string[] = [];
    const o = { ...tiny, qatSpeed, finalEpochs: undefined, budgetMinutes: 5, waves: 1, waveSize: 1, csimImages: 0, seed: 3, out: join(base, 'rollover') };
    const r = await search({ ...o, onEvent: (e) => void (e.type === 'phase' && events.push(e.detail)) } as SearchOptions);
    const plan = makePlan({ budgetMinutes: 5, workers: 1, finalRecipe: 'lr5', finalEpochs: null }, 400, 200, { ...parseQatSpeed(qatSpeed), measured: false }, 60000);
    const used = records(r.runDir).filter((x) => x.type === 'job' && x.rung !== 'final').reduce((t, x) => t + jobSeconds(plan, cheapFeatures(parseGenomeKey(x.key as string), loadSpace(space).space), x.fidelity as Fidelity), 0);
    expect(used).toBeLessThan(plan.searchSeconds);
    const cost = cheapFeatures(parseGenomeKey(r.winner.key), loadSpace(space).space);
    const grown = { ...plan, finalSeconds: finalSecondsAfterSearch(plan, used) };
    expect(finalEpochsFor(grown, cost)).toBeGreaterThan(finalEpochsFor(plan, cost));
    expect(r.winner.epochs).toBe(finalEpochsFor(grown, cost));
    expect(events.some((d) => d.includes(`the final share grows from ${Math.round(plan.finalSeconds)} to ${Math.round(grown.finalSeconds)} s`))).toBe(true);
  }, 200_000);

  it('what the search overruns of its share comes from the final training (its first wave is never cut)', async () => {
    // as above, with a wave of 4: 4 r0 jobs and 2 promotions to r1 plan more than the search's 90 s, and the final
    // share of 174 s shrinks by the overrun, so the run keeps to its budget (before: the final kept its share)
    const qatSpeed = '3e-2,1e-9';
    const events: string[] = [];
    const o = { ...tiny, qatSpeed, finalEpochs: undefined, budgetMinutes: 5, waves: 1, waveSize: 4, csimImages: 0, seed: 3, out: join(base, 'overrun') };
    const r = await search({ ...o, onEvent: (e) => void (e.type === 'phase' && events.push(e.detail)) } as SearchOptions);
    const plan = makePlan({ budgetMinutes: 5, workers: 1, finalRecipe: 'lr5', finalEpochs: null }, 400, 200, { ...parseQatSpeed(qatSpeed), measured: false }, 60000);
    const used = records(r.runDir).filter((x) => x.type === 'job' && x.rung !== 'final').reduce((t, x) => t + jobSeconds(plan, cheapFeatures(parseGenomeKey(x.key as string), loadSpace(space).space), x.fidelity as Fidelity), 0);
    expect(used).toBeGreaterThan(plan.searchSeconds);
    const shrunk = { ...plan, finalSeconds: finalSecondsAfterSearch(plan, used) };
    expect(shrunk.finalSeconds).toBeLessThan(plan.finalSeconds);
    expect(events.some((d) => d.includes(`the final share shrinks from ${Math.round(plan.finalSeconds)} to ${Math.round(shrunk.finalSeconds)} s`))).toBe(true);
    const cost = cheapFeatures(parseGenomeKey(r.winner.key), loadSpace(space).space);
    expect(r.winner.epochs).toBe(finalEpochsFor(shrunk, cost));
    expect(finalEpochsFor(shrunk, cost)).toBeLessThan(finalEpochsFor(plan, cost));
    // the planned search and final (with its evaluation) fit the budget less its reserve
    expect(used + jobSeconds(plan, cost, { epochs: r.winner.epochs, trainLimit: 400, testLimit: 200 })).toBeLessThanOrEqual(plan.budgetSeconds * (SEARCH_SHARE + FINAL_SHARE) + 1e-6);
  }, 200_000);

  it('a search that overran the whole final share: the finalist still trains MIN_FINAL_EPOCHS (separate baseline)', async () => {
    // 8 r0 jobs and 3 promotions to r1 at 30 ms per image plan more than the search's 90 s and the final's 174 s
    // together: the final share shrinks to nothing. Before, the finalist's schedule was 0 epochs here (in
    // bench/search.ts's 2-minute runs finalists scored at chance, and a separate baseline's folded design, made after
    // the search, was refused as untrainable: "no valid design")
    const o = { ...tiny, qatSpeed: '3e-2,1e-9', finalEpochs: undefined, budgetMinutes: 5, waves: 1, waveSize: 8, csimImages: 0, seed: 3, strategy: 'separate', out: join(base, 'overrun-all') };
    const events: string[] = [];
    const r = await search({ ...o, onEvent: (e) => void (e.type === 'phase' && events.push(e.detail)) } as SearchOptions);
    expect(events.some((d) => /the final share shrinks from \d+ to 0 s/.test(d))).toBe(true);
    expect(r.winner.epochs).toBe(MIN_FINAL_EPOCHS);
    expect(r.winner.finalAcc).toBeGreaterThan(0.5);
  }, 300_000);

  it('separate baseline: the most accurate architecture at the widest bits, then quantized and folded to fit', async () => {
    const r = await search({ ...tiny, strategy: 'separate', seed: 3, out: join(base, 'separate') } as SearchOptions);
    expect(r.strategy).toBe('separate');
    expect(r.winner.lut).toBeLessThanOrEqual(6000);
    // every trained architecture of the baseline is at uniform widest bits (4-bit weights, 2-bit activations here)
    const keys = records(r.runDir).filter((x) => x.type === 'job' && x.rung !== 'final').map((x) => x.key as string);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k.match(/w\d+a\d+/g)!.every((t) => t === 'w4a4' || t === 'w4a2')).toBe(true);
  });

  it('a dataset with no table or predictor: an IDX directory (relabelled 5-class Fashion-MNIST subset) end to end', async () => {
    const dir = join(base, 'idx-data');
    mkdirSync(dir);
    const relabel = [3, 0, 4, 1, 2]; // classes 0..4 of Fashion-MNIST, permuted
    for (const [split, stem, n] of [['train', 'train', 1500], ['test', 't10k', 400]] as const) {
      const ds = loadDataset({ name: 'fashion-mnist', split });
      const idx: number[] = [];
      for (let i = 0; i < ds.count && idx.length < n; i++) if (ds.labels[i]! < 5) idx.push(i);
      const sub = subsetDataset(ds, idx);
      const { images, labels } = encodeIdx({ ...sub, labels: sub.labels.map((l) => relabel[l]!) });
      writeFileSync(join(dir, `${stem}-images-idx3-ubyte.gz`), gzipSync(images));
      writeFileSync(join(dir, `${stem}-labels-idx1-ubyte`), labels);
    }
    // the tiny space with the dataset's 5 classes (a bundled default space adapts its classifier by itself)
    const sp = join(base, 'tiny-5.json');
    writeFileSync(sp, JSON.stringify({ ...JSON.parse(readFileSync(space, 'utf8')), $schema: undefined, name: 'tiny5-28x28x1', numClasses: 5 }));
    const out = join(base, 'idx-run');
    const r = await runCli(['--dataset', 'idx', '--data', dir, '--space', sp, '--luts', '6000', '--fps', '1000', '--workers', '1', '--qat-speed', '3e-4,1e-9', '--waves', '2', '--wave-size', '4', '--final-epochs', '2', '--train-limit', '1000', '--test-limit', '300', '--csim-images', '5', '--seed', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('surrogate from 0 prior rows');
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(rep.winner.design.layers.at(-1).outFeatures).toBe(5);
    expect(rep.csim.ok).toBe(true);
    expect(rep.winner.accuracy.final).toBeGreaterThan(0.4); // 5 classes: chance 0.2
  }, 200_000);
});
