/**
 * Needs: the Fashion-MNIST dataset (no job is trained: the queue refuses them).
 * The search ranks candidates on a validation split carved from the training images, never on the test split: the
 * winner's test accuracy is reported on images no decision was taken on.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { search, type SearchOptions } from '../../src/search.js';
import { datasetDigest, jobSplits } from '../../src/search/execute.js';
import { loadDataset } from '../../src/ml/datasets.js';
import { DataError, UsageError } from '../../src/errors.js';
import { readTable, scheduleSplits } from '../../src/run/table.js';
import { cli } from '../cli/helpers.js';
import type { Fidelity, JobQueue, TrainJob } from '../../src/search/jobs.js';

class RefusingQueue implements JobQueue {
  readonly name = 'refusing';
  readonly capacity = 8;
  readonly jobs: TrainJob[] = [];
  run(job: TrainJob): Promise<never> {
    this.jobs.push(job);
    return Promise.reject(new Error('not training in this test'));
  }
  async close(): Promise<void> {}
}

describe('validation split', () => {
  it('evalOn validation: the last images of the training split, disjoint from the images trained on', async () => {
    const f: Fidelity = { epochs: 1, trainLimit: 6000, testLimit: 2000, batchSize: 64, recipe: 'base', evalOn: 'validation' };
    const { train, test } = await jobSplits({ dataset: 'fashion-mnist', fidelity: f }, {});
    const full = loadDataset({ name: 'fashion-mnist', split: 'train' });
    const px = full.height * full.width * full.channels;
    expect(train.count).toBe(6000);
    expect(test.count).toBe(2000);
    expect(Buffer.from(test.images).equals(Buffer.from(full.images.subarray((full.count - 2000) * px)))).toBe(true);
    expect(Buffer.from(test.labels).equals(Buffer.from(full.labels.subarray(full.count - 2000)))).toBe(true);
    expect(Buffer.from(train.images).equals(Buffer.from(full.images.subarray(0, 6000 * px)))).toBe(true);
    // a job whose training images would reach into the validation images is refused
    await expect(jobSplits({ dataset: 'fashion-mnist', fidelity: { ...f, trainLimit: full.count - 1999 } }, {})).rejects.toThrow(DataError);
    // the test split is another digest
    const onTest = await jobSplits({ dataset: 'fashion-mnist', fidelity: { ...f, evalOn: undefined } }, {});
    expect(datasetDigest(train, test)).not.toBe(datasetDigest(onTest.train, onTest.test));
  });

  it("the search's first jobs are measured on the validation split", async () => {
    const queue = new RefusingQueue();
    const out = join(mkdtempSync(join(tmpdir(), 'cosearch-val-')), 'run');
    const o = { luts: 30000, fps: 1000, part: 'xc7z020', workers: 2, budgetMinutes: 30, qatSpeed: '6.5e-4,6e-10,2e-7', seed: 1, out, queue };
    await expect(search(o as SearchOptions)).rejects.toThrow(/not training in this test/);
    expect(queue.jobs.length).toBeGreaterThan(0);
    const f = { epochs: 1, trainLimit: 6000, testLimit: 2000, batchSize: 64, recipe: 'base', evalOn: 'validation' as const };
    const { train, test } = await jobSplits({ dataset: 'fashion-mnist', fidelity: f }, {});
    for (const j of queue.jobs) {
      expect(j.fidelity).toMatchObject(f);
      expect(j.datasetDigest).toBe(datasetDigest(train, test));
    }
  }, 120_000);

  it('bench-space --eval-on validation: rows measured on the training tail, their own schedule; an overlap is refused', async () => {
    const sched = { epochs: 1, trainLimit: 500, testLimit: 300, batchSize: 64, seed: 1, evalOn: 'validation' as const };
    const { train, test } = scheduleSplits({ dataset: 'fashion-mnist' }, sched);
    const full = loadDataset({ name: 'fashion-mnist', split: 'train' });
    const px = full.height * full.width * full.channels;
    expect(train.count).toBe(500);
    expect(Buffer.from(train.images).equals(Buffer.from(full.images.subarray(0, 500 * px)))).toBe(true);
    expect(Buffer.from(test.labels).equals(Buffer.from(full.labels.subarray(full.count - 300)))).toBe(true);
    expect(Buffer.from(test.images).equals(Buffer.from(full.images.subarray((full.count - 300) * px)))).toBe(true);
    expect(() => scheduleSplits({ dataset: 'fashion-mnist' }, { ...sched, trainLimit: full.count - 299 })).toThrow(UsageError);
    const out = join(mkdtempSync(join(tmpdir(), 'bench-val-')), 't.jsonl');
    const args = ['bench-space', '--keys', 'c4k3vpw2a2||o4', '--out', out, '--epochs', '1', '--train-limit', '500', '--test-limit', '300'];
    const r = await cli([...args, '--eval-on', 'validation']);
    expect(r.code, r.stderr).toBe(0);
    expect(readTable(out)[0]!.schedule).toEqual(sched);
    // the same table cannot take rows measured on the test split (another schedule)
    const onTest = await cli(args);
    expect(onTest.code).toBe(65);
    expect(onTest.stderr).toMatch(/another space\/dataset\/schedule/);
    const overlap = await cli([...args.slice(0, 4), join(out, '..', 'u.jsonl'), '--train-limit', '59800', '--test-limit', '300', '--eval-on', 'validation']);
    expect(overlap.code).toBe(64);
    expect(overlap.stderr).toMatch(/validates on the last 300 of 60000 fashion-mnist training images: they would overlap/);
    expect(readTable(out)).toHaveLength(1);
  }, 120_000);
});
