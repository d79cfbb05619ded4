/**
 * Real end-to-end search on Fashion-MNIST with tiny budgets (few candidates, one short training, csim on a few
 * images), a SIGKILL mid-run + --resume check (no evaluated candidate lost or repeated, same result as the
 * uninterrupted run with the same seed), the journal's torn-line handling, the impossible-budget message and
 * the separate baseline. Uses the shipped predictor for the default space.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { search, type SearchOptions, type SearchResult } from '../../src/search.js';
import { packageRoot } from '../../src/io.js';
import { DataError } from '../../src/errors.js';
import { readJournal } from '../../src/run/journal.js';
import { defaultPredictorPath } from '../../src/run/predictor-file.js';
import { budgetViolations } from '../../src/core/budget.js';

const root = packageRoot();
const predictor = defaultPredictorPath('default-28x28x1', 'fashion-mnist');
const tiny = {
  luts: 20000, fps: 1000, part: 'xc7z020', seed: 5, workers: 1, population: 12, generations: 4, shortlist: 6, topK: 2,
  confirmEpochs: 1, confirmTrainLimit: 400, finalEpochs: 1, finalTrainLimit: 1000, testLimit: 200, csimImages: 5,
};
const cliArgs = [
  '--luts', '20000', '--fps', '1000', '--part', 'xc7z020', '--seed', '5', '--workers', '1', '--population', '12', '--generations', '4', '--shortlist', '6', '--top-k', '2',
  '--confirm-epochs', '1', '--confirm-train-limit', '400', '--final-epochs', '1', '--final-train-limit', '1000', '--test-limit', '200', '--csim-images', '0',
];

function records(dir: string): { type: string; [k: string]: unknown }[] {
  return readJournal(join(dir, 'journal.jsonl')).records;
}
const evalKeys = (dir: string): string[] => records(dir).filter((r) => r.type === 'eval').map((r) => (r.candidate as { key: string }).key);

describe('search runs (real data)', () => {
  let a: SearchResult;
  const base = mkdtempSync(join(tmpdir(), 'cosearch-search-'));
  const dirA = join(base, 'a');

  beforeAll(async () => {
    expect(existsSync(predictor), `shipped predictor missing: ${predictor}`).toBe(true);
    a = await search({ ...tiny, out: dirA } as SearchOptions);
  }, 280_000);

  it('end to end: the winner fits, trains, emits HLS and csim is bit-exact; run directory complete', () => {
    const w = a.winner;
    expect(w.lut).toBeLessThanOrEqual(20000);
    expect(w.fps).toBeGreaterThanOrEqual(1000);
    expect(budgetViolations(a.report, { luts: 20000, fps: 1000 })).toEqual([]);
    expect(w.finalAcc).toBeGreaterThan(0.4); // 1 epoch on 1,000 images; chance is 0.1
    expect(a.csim).toMatchObject({ ok: true, images: 5, mismatches: 0 });
    for (const f of ['journal.jsonl', 'pareto.json', 'report.json', 'report.html', 'best/design.json', 'best/model/intmodel.json', 'best/hls']) expect(existsSync(join(dirA, f)), f).toBe(true);
    const html = readFileSync(join(dirA, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/); // no external assets
    const pareto = JSON.parse(readFileSync(join(dirA, 'pareto.json'), 'utf8')) as { front: { lut: number }[] };
    expect(pareto.front.length).toBeGreaterThan(0);
    const rep = JSON.parse(readFileSync(join(dirA, 'report.json'), 'utf8')) as { estimate: { layers: unknown[] }; predictedVsMeasured: unknown[] };
    expect(rep.estimate.layers.length).toBe(w.design.layers.length);
    expect(rep.predictedVsMeasured.length).toBe(3); // top-k 2 + the precision hedge (best architecture at the widest bits that fit)
    const keys = evalKeys(dirA);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('SIGKILL mid-run, then --resume: no candidate lost or repeated, same result as the uninterrupted run', async () => {
    const dirB = join(base, 'b');
    // one process (node + the tsx loader), so SIGKILL hits the search itself
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), ...cliArgs, '--out', dirB], { cwd: root, stdio: 'ignore' });
    const jf = join(dirB, 'journal.jsonl');
    // kill while the second confirmation trains (the first one is on disk)
    await new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const iv = setInterval(() => {
        if (existsSync(jf) && readFileSync(jf, 'utf8').includes('"type":"confirm"')) {
          clearInterval(iv);
          child.kill('SIGKILL');
          resolve();
        } else if (Date.now() - t0 > 200_000 || child.exitCode !== null) {
          clearInterval(iv);
          child.kill('SIGKILL');
          reject(new Error(`child did not reach the confirm phase (exit ${child.exitCode})`));
        }
      }, 100);
    });
    await new Promise((r) => child.once('exit', r));
    const before = records(dirB);
    expect(before.some((r) => r.type === 'done')).toBe(false);
    // a torn last line, as a kill during a write would leave
    appendFileSync(jf, '{"type":"eval","candidate":{"key":"c8k3');
    const b = await search({ resume: dirB } as SearchOptions);
    const after = records(dirB);
    // every record written before the kill is still there, in order
    expect(after.slice(0, before.length)).toEqual(before);
    const keysB = evalKeys(dirB);
    expect(new Set(keysB).size).toBe(keysB.length);
    expect(keysB).toEqual(evalKeys(dirA));
    const confirms = after.filter((r) => r.type === 'confirm').map((r) => r.key);
    expect(new Set(confirms).size).toBe(confirms.length);
    expect(confirms.length).toBe(3); // top-k 2 + the precision hedge
    expect(b.winner.key).toBe(a.winner.key);
    expect(b.winner.finalAcc).toBe(a.winner.finalAcc);
    expect(b.pareto).toEqual(a.pareto);
    expect(b.csim).toBeNull(); // this run was started with --csim-images 0
    expect(after.filter((r) => r.type === 'done').length).toBe(1);
  }, 280_000);

  it('an impossible budget names the smallest design and its LUTs/fps (DataError, exit 65)', async () => {
    const p = search({ ...tiny, luts: 300, out: join(base, 'c'), generations: 2 } as SearchOptions);
    await expect(p).rejects.toThrow(DataError);
    await expect(search({ ...tiny, luts: 300, out: join(base, 'c2'), generations: 2 } as SearchOptions)).rejects.toThrow(/smallest design found, \S+, needs [\d,]+ LUTs at [\d,]+ fps/);
  });

  it('--resume refuses conflicting options and a second process on the same run', async () => {
    await expect(search({ resume: dirA, luts: 999 } as SearchOptions)).rejects.toThrow(/journaled options \(--luts 20000\)/);
    await expect(search({ ...tiny, out: dirA } as SearchOptions)).rejects.toThrow(/already holds a run/);
  });

  it('separate baseline: most accurate architecture ignoring hardware, then quantized + folded to fit', async () => {
    const r = await search({ ...tiny, strategy: 'separate', luts: 10000, out: join(base, 'sep'), csimImages: 0 } as SearchOptions);
    expect(r.strategy).toBe('separate');
    expect(r.winner.lut).toBeLessThanOrEqual(10000);
    expect(r.winner.fps).toBeGreaterThanOrEqual(1000);
    // uniform bit widths (the baseline quantizes the whole network at once)
    const bits = new Set(r.winner.design.layers.flatMap((l) => (l.kind === 'maxpool' ? [] : [l.wBits])));
    expect(bits.size).toBeLessThanOrEqual(2); // the classifier list may lack the lowest width
    const recs = records(join(base, 'sep'));
    const arch = recs.filter((x) => x.type === 'eval' && (x.candidate as { widest?: boolean }).widest);
    expect(arch.length).toBeGreaterThan(0);
  }, 120_000);
});
