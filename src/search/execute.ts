/**
 * Executing a TrainJob on this machine (the local pool and every remote worker call `executeTrainJob`): load the
 * dataset's splits at the job's limits, check their digest against the job's, train with the job's recipe,
 * threads and seed, and return the result (and, when asked, the integer model's files).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../errors.js';
import { packageRoot } from '../io.js';
import type { BackendPref } from '../ml/backend.js';
import type { Dataset, DatasetName } from '../ml/datasets.js';
import { jobId, TRAIN_SEMANTICS_VERSION, type JobProgress, type TrainJob, type TrainJobResult } from './jobs.js';

let version: string | undefined;
function packageVersion(): string {
  return (version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version);
}

/** Code version every job carries: a worker whose version differs refuses the job. */
export function codeVersion(): string {
  return `${packageVersion()}+t${TRAIN_SEMANTICS_VERSION}`;
}

/** Images the curve (float accuracy after each epoch) is measured on. */
export const CURVE_IMAGES = 2000;

const digestCache = new WeakMap<Dataset, string>();

/** sha256 of a split's shape, images and labels (a different file, order or limit gives another digest). */
export function splitDigest(ds: Dataset): string {
  const hit = digestCache.get(ds);
  if (hit) return hit;
  const h = createHash('sha256');
  h.update(`${ds.count}x${ds.height}x${ds.width}x${ds.channels}/${ds.numClasses}\n`);
  h.update(ds.images);
  h.update(ds.labels);
  const d = h.digest('hex');
  digestCache.set(ds, d);
  return d;
}

/** Digest of the data a job trains and tests on. */
export function datasetDigest(train: Dataset, test: Dataset): string {
  return createHash('sha256').update(`${splitDigest(train)}:${splitDigest(test)}`).digest('hex').slice(0, 32);
}

export interface ExecEnv {
  /** this machine's dataset directory (--data) */
  dataDir?: string;
  backend?: BackendPref;
  /** pre-loaded full splits (a coordinator's own pool); limits are applied as subarrays */
  splits?: { train: Dataset; test: Dataset };
}

const splitCache = new Map<string, Dataset>();
function cached(key: string, make: () => Dataset): Dataset {
  let ds = splitCache.get(key);
  if (!ds) splitCache.set(key, (ds = make()));
  return ds;
}

/**
 * The job's splits on this machine (cached per dataset, directory, split and limit). With fidelity.evalOn
 * 'validation' the evaluation split is the last testLimit images of the training split, disjoint from the
 * trainLimit images trained on.
 */
export async function jobSplits(job: Pick<TrainJob, 'dataset' | 'fidelity'>, env: ExecEnv): Promise<{ train: Dataset; test: Dataset }> {
  const { loadDataset, recordRange: records } = await import('../ml/datasets.js');
  const at = `${job.dataset}|${env.dataDir ?? ''}`;
  const full = (split: 'train' | 'test'): Dataset => cached(`${at}|${split}`, () => env.splits?.[split] ?? loadDataset({ name: job.dataset as DatasetName, dir: env.dataDir, split }));
  const first = (split: 'train' | 'test', n: number): Dataset => cached(`${at}|${split}|${n}`, () => records(full(split), 0, Math.min(n, full(split).count)));
  const f = job.fidelity;
  if (f.evalOn !== 'validation') return { train: first('train', f.trainLimit), test: first('test', f.testLimit) };
  const all = full('train');
  if (f.testLimit < 1 || f.trainLimit + f.testLimit > all.count)
    throw new DataError(`a job trains on ${f.trainLimit} and validates on the last ${f.testLimit} of ${all.count} ${job.dataset} training images: they would overlap`, {
      hint: 'give this machine --data pointing at the same dataset files as the coordinator',
    });
  return { train: first('train', f.trainLimit), test: cached(`${at}|validation|${f.testLimit}`, () => records(all, all.count - f.testLimit, f.testLimit)) };
}

/** Run one training job here. Throws DataError (65) when this machine's data differs from the job's. */
export async function executeTrainJob(job: TrainJob, env: ExecEnv = {}, onProgress?: (p: JobProgress) => void): Promise<TrainJobResult> {
  const id = jobId(job);
  if (job.codeVersion !== codeVersion())
    throw new DataError(`job ${id} (${job.key}) was made by cosearch ${job.codeVersion}, this is ${codeVersion()}`, { hint: 'run the same cosearch version on the coordinator and every worker' });
  const { train, test } = await jobSplits(job, env);
  const digest = datasetDigest(train, test);
  if (digest !== job.datasetDigest)
    throw new DataError(`job ${id} (${job.key}): the ${job.dataset} data here (digest ${digest.slice(0, 12)}) differs from the coordinator's (${job.datasetDigest.slice(0, 12)})`, { hint: 'give this worker --data pointing at the same dataset files as the coordinator' });
  const { trainDesign } = await import('../ml/train.js');
  const f = job.fidelity;
  const r = await trainDesign(job.design, {
    dataset: job.dataset as DatasetName, epochs: f.epochs, seed: job.seed, batchSize: f.batchSize, trainLimit: f.trainLimit, testLimit: f.testLimit,
    train, test, backend: env.backend, workers: job.threads, recipe: f.recipe, curveImages: Math.min(CURVE_IMAGES, f.testLimit), refCheck: 20,
    ...(f.deadline ? { deadline: f.deadline } : {}),
    onProgress: onProgress ? (p) => onProgress({ id, epoch: p.epoch, batch: p.batch, batches: p.batches, loss: p.loss }) : undefined,
  });
  let model: TrainJobResult['model'];
  if (job.returnModel) {
    const { writeIntModel, INTMODEL_BIN, INTMODEL_JSON } = await import('../ml/intmodel-io.js');
    const dir = mkdtempSync(join(tmpdir(), 'cosearch-job-'));
    try {
      writeIntModel(dir, r.intModel);
      model = { json: readFileSync(join(dir, INTMODEL_JSON)).toString('base64'), bin: readFileSync(join(dir, INTMODEL_BIN)).toString('base64') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    id, key: job.key, acc: r.intTestAcc, floatAcc: r.floatTestAcc, agreement: r.agreement, testCount: r.testCount, trainCount: r.trainCount ?? f.trainLimit,
    seconds: r.trainSeconds, ...(r.epochs !== undefined && r.epochs !== f.epochs ? { epochs: r.epochs } : {}), curve: r.curve ?? [], backend: r.backend ?? String(env.backend ?? 'auto'), ...(model ? { model } : {}),
  };
}
