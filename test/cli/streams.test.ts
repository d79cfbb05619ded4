/**
 * stdout carries data (text result or --json), stderr carries messages and progress (with elapsed time and
 * ETA).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchProgress } from '../../src/cli/commands/search.js';
import { progressPrinter } from '../../src/cli/commands/train.js';
import { elapsedEta } from '../../src/cli/progress.js';
import { cli } from './helpers.js';

const tiny = join(__dirname, '..', 'fixtures', 'designs', 'tiny-w2a2.json');
const tmp = mkdtempSync(join(tmpdir(), 'cosearch-streams-'));

function sink(isTTY = false): NodeJS.WriteStream & { text: string } {
  const s = { text: '', isTTY, write(x: string) { s.text += x; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('stdout is data', () => {
  it('parts --json, estimate --json, fold --json: stdout is exactly one JSON document; notes go to stderr', async () => {
    for (const args of [['parts', '--json'], ['estimate', tiny, '--json'], ['fold', tiny, '--fps', '1000', '--json']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(() => JSON.parse(r.stdout), args.join(' ')).not.toThrow();
    }
    const p = await cli(['parts']);
    expect(p.stdout).not.toContain('add your own');
    expect(p.stderr).toContain('add your own with --part-file');
  });
  it('fold --out: the summary is a message on stderr, stdout stays empty', async () => {
    const r = await cli(['fold', tiny, '--fps', '1000', '--out', join(tmp, 'f.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^folded /);
  });
});

describe('progress on stderr with elapsed time and ETA', () => {
  it('elapsedEta extrapolates linearly', () => {
    expect(elapsedEta(0, 0.25, 60_000)).toBe('elapsed 1:00, ETA 3:00');
    expect(elapsedEta(0, 0, 5_000)).toBe('elapsed 0:05');
    expect(elapsedEta(0, 0.5, 7_200_000)).toBe('elapsed 2:00:00, ETA 2:00:00');
  });
  it('the search prints waves and jobs with elapsed/ETA on stderr and the winner on stdout', () => {
    const err = sink();
    const out = sink();
    const p = searchProgress(err, out);
    p({ type: 'job', rung: 'r0', key: 'c8k3spw2a1||o4', acc: 0.63, predicted: 0.6, seconds: 2, cached: false, done: 1 });
    p({ type: 'job', rung: 'final', key: 'c8k3spw2a1||o4', acc: 0.9298, predicted: 0.9276, seconds: 857, cached: false, done: 2 });
    p({ type: 'wave', wave: 1, waves: 3, jobs: 6, best: null, spentSeconds: 100, plannedSeconds: 400 });
    p({ type: 'phase', phase: 'train', detail: 'finalist' });
    expect(err.text).toMatch(/  r0 c8k3spw2a1\|\|o4: measured 63\.0% \(predicted 60\.0%, 2 s\)/);
    // a final training on the whole test split to its resolution: 92.98% is not 93.0%
    expect(err.text).toMatch(/  final c8k3spw2a1\|\|o4: measured 92\.98% \(predicted 92\.8%, 857 s\)/);
    expect(err.text).toMatch(/search wave 1\/3: 6 jobs, 100\/400 s of the search share planned; nothing trained that fits yet; elapsed 0:00/);
    expect(err.text).toMatch(/train: finalist \(elapsed 0:00\)/);
    expect(out.text).toBe('');
  });
  it('train progress shows the epoch of all epochs and an ETA', () => {
    const err = sink();
    const p = progressPrinter(err, 4);
    p.update({ epoch: 2, batch: 10, batches: 10, loss: 0.5, imagesPerSec: 1000 } as never);
    expect(err.text).toMatch(/^epoch 2\/4 \[#+\] batch 10\/10 loss 0\.5000 1000 images\/s, elapsed 0:00, ETA 0:00/);
  });
});
