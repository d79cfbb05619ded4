/**
 * A queue worker (`cosearch worker`): one BullMQ Worker executing one job at a time with executeJob in a training
 * thread (src/dist/exec-thread.ts; the main thread stays free to renew the job's lock), a TrainJob's dataset digest
 * and code version checked there: a mismatch fails the job with that message instead of computing a wrong result. Failures are classified for BullMQ: deterministic ones become
 * UnrecoverableError (failed once), transient ones ordinary errors (retried with the job's backoff).
 */
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { TempError } from '../errors.js';
import type { ExecEnv } from '../search/execute.js';
import type { JobProgress, TrainJobResult } from '../search/jobs.js';
import { encodeFailure, executeJob, exitCodeOf, isDeterministic, type DistJob } from './jobs.js';
import { ExecThread } from './thread.js';
import { KEY_PREFIX, QUEUE_NAME } from './redis-queue.js';
import { connectionOptions, parseRedisUrl, whenReady } from './url.js';

/** Test hook: a worker started with this variable set to N fails every job's first N attempts with exit 75. */
export const FAULT_ENV = 'COSEARCH_TEST_TRANSIENT_FAILURES';
/** Test hook: with this set to N, the training thread exits during every job's first N attempts. */
export const THREAD_FAULT_ENV = 'COSEARCH_TEST_THREAD_EXITS';

export interface WorkerOptions {
  url: string;
  env: ExecEnv;
  /** lock duration in ms: a killed worker's job is retried elsewhere about this long after it died (default 30000) */
  stallMs?: number;
  log?: (line: string) => void;
  /** progress of the running job (throttled: at most every second, and each epoch's end) */
  onProgress?: (p: JobProgress) => void;
  /** seconds to wait for Redis at start (exit 75 after; default 0: wait, reconnecting); a refused password fails at once (64) */
  connectTimeoutSec?: number;
  /** run jobs on the main thread (bench/dist.ts's sleep jobs; a training there delays lock renewals) */
  inline?: boolean;
  /** name announced to the queue (default host:pid); `:c1` is appended (its concurrency) */
  name?: string;
}

export interface QueueWorker {
  readonly name: string;
  readonly worker: Worker;
  /** jobs running now */
  active(): Array<{ id: string; key: string }>;
  /** jobs this worker finished, and attempts that failed */
  stats(): { done: number; failed: number };
  /** stop taking jobs; resolve when the running job finished */
  finish(): Promise<void>;
  /** put the running job back in the queue for another worker; the caller then exits (the training is abandoned) */
  handBack(): Promise<string[]>;
}

export async function startWorker(o: WorkerOptions): Promise<QueueWorker> {
  const target = parseRedisUrl(o.url);
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const name = `${o.name ?? `${hostname()}:${process.pid}`}:c1`;
  const faults = Number(process.env[FAULT_ENV] ?? 0);
  const threadFaults = Number(process.env[THREAD_FAULT_ENV] ?? 0);
  const running = new Map<string, { job: Job; token: string }>();
  const stats = { done: 0, failed: 0 };
  const stallMs = o.stallMs ?? 30_000;
  const thread = o.inline ? undefined : new ExecThread(o.env);
  const backend = thread ? await thread.start() : 'this thread';
  const execute = (job: DistJob, cb: Parameters<typeof executeJob>[2], attempt: number): Promise<TrainJobResult> =>
    thread ? thread.run(job, cb, attempt < threadFaults) : executeJob(job, o.env, cb);

  const processor = async (job: Job<DistJob, TrainJobResult>, token?: string): Promise<TrainJobResult> => {
    const d = job.data;
    const tag = `job ${job.id} (${d.key})`;
    running.set(job.id!, { job, token: token ?? '' });
    const t0 = Date.now();
    log(`worker ${name}: ${tag} started, attempt ${job.attemptsMade + 1}/${job.opts.attempts ?? 1}`);
    try {
      if (faults > 0 && job.attemptsMade < faults) throw new TempError(`injected transient failure ${job.attemptsMade + 1} of ${faults} (${FAULT_ENV})`);
      let last = 0;
      const r = await execute(
        d,
        (p) => {
          const now = Date.now();
          if (p.batch !== p.batches && now - last < 1000) return;
          last = now;
          o.onProgress?.(p);
          job.updateProgress(p as unknown as object).catch(() => undefined);
        },
        job.attemptsMade,
      );
      stats.done++;
      log(`worker ${name}: ${tag} done in ${((Date.now() - t0) / 1000).toFixed(1)} s, acc ${r.acc.toFixed(4)}`);
      return r;
    } catch (e) {
      stats.failed++;
      const code = exitCodeOf(e);
      const text = encodeFailure(e);
      const again = !isDeterministic(code);
      log(`worker ${name}: ${tag} failed (exit ${code}, ${again ? 'transient: retried with backoff' : 'deterministic: not retried'}): ${text.replace(/^\[exit \d+\] /, '').split('\n')[0]}`);
      throw again ? new Error(text) : new UnrecoverableError(text);
    } finally {
      running.delete(job.id!);
    }
  };

  const worker = new Worker<DistJob, TrainJobResult>(QUEUE_NAME, processor, {
    connection: connectionOptions(target),
    prefix: KEY_PREFIX,
    name,
    concurrency: 1,
    lockDuration: stallMs,
    stalledInterval: stallMs,
    // a job whose worker died twice is failed (it may be what kills them), with exit 75 on the coordinator
    maxStalledCount: 2,
    autorun: false,
  });
  let lastError = '';
  worker.on('error', (e) => {
    if (e.message !== lastError) log(`worker ${name}: redis ${target.masked}: ${e.message}${/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH/.test(e.message) ? ' (retrying)' : ''}`);
    lastError = e.message;
  });
  await whenReady(target, [worker], (o.connectTimeoutSec ?? 0) * 1000).catch(async (e) => {
    await worker.close(true).catch(() => undefined);
    await thread?.stop();
    throw e;
  });
  void worker.run();
  log(`worker ${name}: backend ${backend}, data ${o.env.dataDir ?? process.env.COSEARCH_DATA ?? 'default'}; waiting for jobs on ${target.masked}`);

  return {
    name,
    worker,
    stats: () => ({ ...stats }),
    active: () => [...running.values()].map(({ job }) => ({ id: job.id!, key: (job.data as DistJob).key })),
    finish: async () => {
      await worker.close();
      await thread?.stop();
    },
    async handBack() {
      const ids: string[] = [];
      for (const { job, token } of [...running.values()]) {
        await job.moveToWait(token);
        running.delete(job.id!);
        ids.push(job.id!);
      }
      await thread?.stop();
      return ids;
    },
  };
}
