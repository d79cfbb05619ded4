/**
 * What travels through the Redis queue: the search's TrainJob, plus a `sleep` job (a job of known duration and
 * given accuracy, used only by bench/dist.ts and the tests to measure the queue itself). Failures travel as text
 * (BullMQ keeps a failed job's reason as a string), so the exit code rides along as an `[exit N]` prefix.
 */
import { createHash } from 'node:crypto';
import { CosearchError, ExitCode, type ExitCodeValue } from '../errors.js';
import { executeTrainJob, type ExecEnv } from '../search/execute.js';
import { canonicalJson, jobId, type JobProgress, type TrainJob, type TrainJobResult } from '../search/jobs.js';

/** A job that only waits `ms` and reports `acc` (bench and tests; never made by the search). */
export interface SleepJob {
  type: 'sleep';
  key: string;
  ms: number;
  acc: number;
}

export type DistJob = TrainJob | SleepJob;

/** Content-derived id of any queued job (a TrainJob's is `jobId(job)`, the search's own). */
export function distJobId(job: DistJob): string {
  if (job.type === 'train') return jobId(job);
  // a sleep job has no other content: its key (the simulated candidate and rung) is part of its id
  return `sleep-${createHash('sha256').update(canonicalJson(job)).digest('hex').slice(0, 26)}`;
}

/** Run any queued job here: training through executeTrainJob (digest and code version checked), sleep by waiting. */
export async function executeJob(job: DistJob, env: ExecEnv, onProgress?: (p: JobProgress) => void): Promise<TrainJobResult> {
  if (job.type === 'train') return executeTrainJob(job, env, onProgress);
  if (job.type !== 'sleep') throw new CosearchError(`unknown job type ${JSON.stringify((job as { type: unknown }).type)}`, ExitCode.DATA, 'run the same cosearch version on the coordinator and every worker');
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, job.ms));
  return { id: distJobId(job), key: job.key, acc: job.acc, floatAcc: job.acc, agreement: 1, testCount: 0, trainCount: 0, seconds: (Date.now() - t0) / 1000, curve: [], backend: 'sleep' };
}

/**
 * Exit codes whose failure would repeat on any worker (bad design or data, usage, a check, a bug): the job fails
 * once. Everything else (75 timeout/licence/killed, 74 i/o, 69 a tool missing on that machine, a lost connection)
 * is retried with backoff up to the queue's attempt limit.
 */
const DETERMINISTIC: ReadonlySet<number> = new Set([ExitCode.FAILURE, ExitCode.USAGE, ExitCode.DATA, ExitCode.NO_INPUT, ExitCode.SOFTWARE]);

export function exitCodeOf(e: unknown): ExitCodeValue {
  return e instanceof CosearchError ? e.exitCode : ExitCode.SOFTWARE;
}

export function isDeterministic(code: number): boolean {
  return DETERMINISTIC.has(code);
}

/** A failure as the text BullMQ stores: `[exit N] message` and, when given, `\nhint: …`. */
export function encodeFailure(e: unknown): string {
  const err = e as Error & { hint?: string };
  const msg = e instanceof CosearchError ? err.message : `internal error: ${err?.stack ?? String(e)}`;
  return `[exit ${exitCodeOf(e)}] ${msg}${err?.hint ? `\nhint: ${err.hint}` : ''}`;
}

/** The coordinator's error for a failed job: the worker's exit code and message (75 for BullMQ's own reasons, e.g. stalled too often). */
export function decodeFailure(reason: string | undefined, where: string): CosearchError {
  const m = /^\[exit (\d+)\] ([\s\S]*?)(?:\nhint: ([\s\S]*))?$/.exec(reason ?? '');
  if (m) return new CosearchError(`${m[2]} (${where})`, Number(m[1]) as ExitCodeValue, m[3]);
  return new CosearchError(`${reason || 'failed without a reason'} (${where})`, ExitCode.TEMP, 'the job can be retried: run the search again with --resume');
}
