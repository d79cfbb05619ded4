/**
 * Needs: the Fashion-MNIST dataset (for the jobs' dataset digest; no job is trained).
 * Rung r2 (1 epoch on 50,000 images): the best third of r1 by predicted final accuracy, promoted only while its jobs
 * fit in the search share. The queue answers with accuracies made up from the key and the fidelity (no training:
 * this tests which jobs the search asks for, not what they measure) and refuses the final training, which ends the run.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { search, type SearchOptions } from '../../src/search.js';
import { jobId, type JobQueue, type TrainJob, type TrainJobResult } from '../../src/search/jobs.js';
import { R2_IMAGES } from '../../src/search/plan.js';

class MadeUpQueue implements JobQueue {
  readonly name = 'made-up';
  readonly capacity = 1;
  readonly jobs: TrainJob[] = [];
  async run(job: TrainJob): Promise<TrainJobResult> {
    if (job.fidelity.testLimit > 2000 || job.returnModel) throw new Error('final training: not in this test');
    this.jobs.push(job);
    const h = createHash('sha256').update(`${job.key}|${job.fidelity.trainLimit}`).digest();
    const acc = 0.7 + 0.2 * (h[0]! / 255) + 0.02 * Math.log10(job.fidelity.trainLimit / 6000);
    return { id: jobId(job), key: job.key, acc, floatAcc: acc, agreement: 1, testCount: job.fidelity.testLimit, trainCount: job.fidelity.trainLimit, seconds: 1, curve: [], backend: 'made-up' };
  }
  async close(): Promise<void> {}
}

async function jobsOf(budgetMinutes: number): Promise<TrainJob[]> {
  const queue = new MadeUpQueue();
  const out = join(mkdtempSync(join(tmpdir(), 'cosearch-r2-')), 'run');
  const o = { luts: 30000, fps: 1000, part: 'xc7z020', workers: 2, budgetMinutes, qatSpeed: '6.5e-4,6e-10,2e-7', seed: 1, out, queue, noPrior: true };
  await expect(search(o as SearchOptions)).rejects.toThrow(/final training: not in this test/);
  return queue.jobs;
}

describe('rung r2', () => {
  it('a long budget: the best third of r1 go on to 1 epoch on 50,000 images, each once; a short one has none', async () => {
    const jobs = await jobsOf(240);
    const at = (rungImages: number): string[] => jobs.filter((j) => j.fidelity.trainLimit === rungImages).map((j) => j.key);
    const r1 = at(20000);
    const r2 = at(R2_IMAGES);
    expect(r2.length).toBeGreaterThan(0);
    expect(new Set(r2).size).toBe(r2.length);
    for (const k of r2) expect(r1).toContain(k);
    expect(r2.length).toBeLessThanOrEqual(Math.ceil(r1.length / 3));
    for (const j of jobs.filter((x) => x.fidelity.trainLimit === R2_IMAGES)) expect(j.fidelity).toMatchObject({ epochs: 1, evalOn: 'validation', testLimit: 2000 });
    // 30 minutes: the first wave fills the search share, no r2 job is planned
    const short = await jobsOf(30);
    expect(short.filter((j) => j.fidelity.trainLimit === R2_IMAGES)).toHaveLength(0);
    expect(short.filter((j) => j.fidelity.trainLimit === 20000).length).toBeGreaterThan(0);
  }, 300_000);
});
