/**
 * The search's job interface: every expensive evaluation (a QAT training at some fidelity) is a `TrainJob`, plain
 * JSON whose id is derived from its content. A job's result depends only on its inputs (design, fidelity, seed,
 * threads, dataset digest, code version), so a local pool, a remote worker (src/dist), a retry or a resume all give
 * the same result, and the coordinator journals each id exactly once.
 *
 *   coordinator --submit(TrainJob)--> JobQueue (local | redis) --executeTrainJob on some machine--> TrainJobResult
 *
 * This module is pure (no tfjs, no fs): the execution lives in src/search/execute.ts, the queues behind
 * `JobQueue` in src/search/local-queue.ts and src/dist/.
 */
import { createHash } from 'node:crypto';
import type { Design } from '../core/design.js';

/** Bump when a change to training, export or evaluation changes any job's result (part of every job id). */
export const TRAIN_SEMANTICS_VERSION = 3;

/** A training recipe by name (src/ml/recipe.ts holds their definitions). */
export type RecipeName = string;

/** How much (and how) a candidate is trained. */
export interface Fidelity {
  epochs: number;
  /** first N training images */
  trainLimit: number;
  /** first N test images the accuracy is measured on (with evalOn 'validation': the last N training images) */
  testLimit: number;
  batchSize: number;
  recipe: RecipeName;
  /**
   * Where the accuracy is measured. Absent: the test split (final trainings, bench-space tables). 'validation': the
   * last testLimit images of the training split, which the job must not train on (trainLimit <= count - testLimit).
   * The search's rungs rank candidates on it, so the test split is seen only by the winner's final training and the
   * test accuracy reported for it was not selected on (src/search/plan.ts validationCount).
   */
  evalOn?: 'validation';
  /**
   * A final training that fills its share of --budget-minutes: the training loop's seconds, and the fewest and most
   * epochs it may set at the pace it measures (src/ml/train.ts TrainOptions.deadline). The one exception to a
   * result that depends only on the inputs: what was trained is in the result's `epochs`. Set only with a measured
   * QAT speed (with --qat-speed or --final-epochs the plan and the result are functions of the options).
   */
  deadline?: { seconds: number; minEpochs: number; maxEpochs: number };
}

export interface TrainJob {
  type: 'train';
  /** candidate key (genomeKey), for logs and the journal */
  key: string;
  /** the folded design to train (the IR) */
  design: Design;
  fidelity: Fidelity;
  seed: number;
  /** data-parallel threads of the training step: part of the result (float sums are ordered per thread) */
  threads: number;
  dataset: string;
  /** sha256 of the training and test images + labels actually used (see datasetDigest in src/search/execute.ts) */
  datasetDigest: string;
  /** TRAIN_SEMANTICS_VERSION + package version: a worker with other code refuses the job */
  codeVersion: string;
  /** return the trained integer model (base64 of intmodel.json + intmodel.bin) with the result */
  returnModel?: boolean;
}

/** Test accuracy of the float model after each epoch (the learning curve; first `curveImages` test images). */
export interface CurvePoint {
  epoch: number;
  acc: number;
}

export interface TrainJobResult {
  id: string;
  key: string;
  /** integer-reference test accuracy on fidelity.testLimit images (what the hardware computes) */
  acc: number;
  floatAcc: number;
  agreement: number;
  testCount: number;
  trainCount: number;
  /**
   * wall seconds of the training loop; journaled, so a resumed run reads the same: the one decision it enters is the final
   * schedule of a candidate whose QAT speed was measured (plan.ts measuredFinalFidelity), never with --qat-speed
   */
  seconds: number;
  /** epochs trained, when a deadline set other than fidelity.epochs */
  epochs?: number;
  curve: CurvePoint[];
  backend: string;
  /** set when returnModel was asked: the integer model files, base64 */
  model?: { json: string; bin: string };
}

/** The fidelity a result was trained at: the job's, with the epochs its deadline set when they differ. */
export function trainedFidelity<F extends Pick<Fidelity, 'epochs'>>(f: F, r: Pick<TrainJobResult, 'epochs'>): F {
  return r.epochs === undefined ? f : { ...f, epochs: r.epochs };
}

/** Canonical JSON: object keys sorted, so that equal content gives equal text. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/** Content-derived job id: sha256 over everything the result depends on (not over `key`, a label). */
export function jobId(job: TrainJob): string {
  const { key: _key, returnModel: _rm, ...content } = job;
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 32);
}

export interface JobProgress {
  id: string;
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
}

/**
 * Where jobs run. `run` may be called again before earlier calls settle (up to `capacity` at once is useful);
 * it rejects with the job's error (a CosearchError keeps its exit code). Implementations: LocalQueue
 * (src/search/local-queue.ts, this process), RedisQueue (src/dist, BullMQ workers).
 */
export interface JobQueue {
  readonly name: string;
  /** how many jobs can usefully run at once */
  readonly capacity: number;
  run(job: TrainJob, onProgress?: (p: JobProgress) => void): Promise<TrainJobResult>;
  close(): Promise<void>;
}
