/**
 * Needs: the Fashion-MNIST dataset. A final training's deadline (src/search/plan.ts measuredFinalFidelity) reaches
 * the training through the job interface: it is part of the job's id, and what was trained is in the result.
 */
import { describe, expect, it } from 'vitest';
import { toDesign } from '../../src/core/space.js';
import { loadSpace } from '../../src/run/space-file.js';
import { codeVersion, datasetDigest, executeTrainJob, jobSplits } from '../../src/search/execute.js';
import { jobId, type Fidelity, type TrainJob } from '../../src/search/jobs.js';
import { parseGenomeKey } from '../../src/search/key.js';

describe('a final job with a deadline', () => {
  it('trains what fits its deadline (not below minEpochs) and says so in its result', async () => {
    const key = 'c32k3spw4a4-c64k3spw4a4|d128w4a4|o8';
    const f: Fidelity = { epochs: 3, trainLimit: 512, testLimit: 100, batchSize: 64, recipe: 'lr5' };
    const { train, test } = await jobSplits({ dataset: 'fashion-mnist', fidelity: f }, {});
    const job: TrainJob = { type: 'train', key, design: toDesign(parseGenomeKey(key), loadSpace('default-28x28x1').space), fidelity: f, seed: 1, threads: 1, dataset: 'fashion-mnist', datasetDigest: datasetDigest(train, test), codeVersion: codeVersion() };
    const late: TrainJob = { ...job, fidelity: { ...f, deadline: { seconds: 0.001, minEpochs: 2, maxEpochs: 5 } } };
    expect(jobId(late)).not.toBe(jobId(job));
    const r = await executeTrainJob(late);
    expect(r.epochs).toBe(2);
    const plain = await executeTrainJob(job);
    expect(plain.epochs).toBeUndefined();
    expect(plain.acc).not.toBe(r.acc);
  }, 120_000);
});
