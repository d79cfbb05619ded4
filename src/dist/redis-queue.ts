/**
 * RedisQueue: the search's jobs on BullMQ workers over Redis (`cosearch worker --queue URL` on any machine).
 *
 * - A job's BullMQ id is its content-derived id (jobId(job)), so adding a job that exists is a no-op, a resumed
 *   coordinator finds the results that finished meanwhile, and a retried job cannot yield a second result.
 * - run() resolves with the job's return value: QueueEvents for speed, a state poll every `pollMs` as the safety net
 *   (events missed while Redis restarted; a job lost by a Redis without persistence is added again).
 * - Deterministic failures (exit 64/65/66/70/1) fail once (the worker throws UnrecoverableError); transient ones are
 *   retried with exponential backoff up to `attempts`; a killed worker's job is retried by BullMQ's stalled-job check.
 * - No worker connected (or Redis not answering) while jobs wait: one line on stderr, then after `timeoutSec` the
 *   waiting runs fail with exit 75. Every URL printed is masked (maskUrl).
 */
import { Queue, QueueEvents } from 'bullmq';
import { CosearchError, ExitCode, TempError } from '../errors.js';
import type { JobProgress, JobQueue, TrainJobResult } from '../search/jobs.js';
import { decodeFailure, distJobId, type DistJob } from './jobs.js';
import { connectionOptions, parseRedisUrl, whenReady, type RedisTarget } from './url.js';

/** BullMQ queue name and key prefix shared by coordinators, workers and `cosearch queue status`. */
export const QUEUE_NAME = 'train';
export const KEY_PREFIX = 'cosearch';
/** Completed and failed jobs are kept this long (results a resumed coordinator collects). */
export const KEEP_SECONDS = 7 * 86400;

export interface RedisQueueOptions {
  /** seconds the coordinator waits while no worker is connected (or Redis does not answer) before waiting runs fail with exit 75; 0 = forever (default 600) */
  timeoutSec?: number;
  /** attempts per job for transient failures (default 5) */
  attempts?: number;
  /** first retry delay in ms, doubled each attempt (default 5000) */
  backoffMs?: number;
  /** state poll and worker count interval in ms (default 2000) */
  pollMs?: number;
  /** where status lines go (default stderr) */
  log?: (line: string) => void;
}

/** BullMQ rejects integer-like custom ids: such an id (one in ~3 million) gets a fixed prefix. */
export function bullId(id: string): string {
  return /^\d+$/.test(id) ? `j${id}` : id;
}

/**
 * A job's entry in the queue: its content-derived id, plus `-model` when it asks for the trained model (returnModel
 * is not part of jobId: the same training without the model files must not answer a job that needs them).
 */
export function queueKey(job: DistJob): string {
  const id = bullId(distJobId(job));
  return job.type === 'train' && job.returnModel ? `${id}-model` : id;
}

/** Concurrency a worker announces in its BullMQ name (`host:pid:cN`). */
export function workerConcurrency(rawname: string | undefined): number {
  const m = /:c(\d+)$/.exec(rawname ?? '');
  return m ? Number(m[1]) : 1;
}

interface Waiter {
  /** jobId(job), for messages */
  id: string;
  /** its BullMQ id (queueKey) */
  bid: string;
  job: DistJob;
  promise: Promise<TrainJobResult>;
  resolve: (r: TrainJobResult) => void;
  reject: (e: Error) => void;
  listeners: Set<(p: JobProgress) => void>;
  added: boolean;
  checking: boolean;
}

export class RedisQueue implements JobQueue {
  readonly name: string;
  readonly target: RedisTarget;
  private readonly queue: Queue;
  private events?: QueueEvents;
  private readonly opts: Required<Omit<RedisQueueOptions, 'log'>>;
  private readonly log: (line: string) => void;
  private readonly waiters = new Map<string, Waiter>();
  private workers = 0;
  private lastError = '';
  private timer?: NodeJS.Timeout;
  private pollStarted = 0;
  private noWorkerSince?: number;
  private pendingSince = 0;
  private warned = false;
  private closed = false;

  private constructor(target: RedisTarget, opts: RedisQueueOptions) {
    this.target = target;
    this.name = `redis ${target.masked}`;
    this.opts = { timeoutSec: opts.timeoutSec ?? 600, attempts: opts.attempts ?? 5, backoffMs: opts.backoffMs ?? 5000, pollMs: opts.pollMs ?? 2000 };
    this.log = opts.log ?? ((l) => process.stderr.write(`${l}\n`));
    const connection = connectionOptions(target);
    this.queue = new Queue(QUEUE_NAME, { connection, prefix: KEY_PREFIX });
    this.queue.on('error', (e) => (this.lastError = e.message));
  }

  /** Results, failures and progress as they happen (the poll in check() is the safety net). */
  private listen(connection: Record<string, unknown>): QueueEvents {
    const events = new QueueEvents(QUEUE_NAME, { connection, prefix: KEY_PREFIX });
    events.on('error', (e) => (this.lastError = e.message));
    events.on('completed', ({ jobId, returnvalue }) => {
      const w = this.waiterOf(jobId);
      if (w && returnvalue && typeof returnvalue === 'object') this.settle(w, returnvalue as unknown as TrainJobResult);
      else if (w) void this.check(w);
    });
    events.on('failed', ({ jobId }) => {
      const w = this.waiterOf(jobId);
      if (w) void this.check(w);
    });
    events.on('progress', ({ jobId, data }) => {
      const w = this.waiterOf(jobId);
      if (w && data && typeof data === 'object') for (const l of w.listeners) l(data as unknown as JobProgress);
    });
    return events;
  }

  /** Connect (exit 75 when Redis does not answer within the timeout) and start watching workers. */
  static async open(url: string, opts: RedisQueueOptions = {}): Promise<RedisQueue> {
    const q = new RedisQueue(parseRedisUrl(url), opts);
    try {
      // QueueEvents is created once Redis answers (closing one that never connected hangs in BullMQ 6)
      await whenReady(q.target, [q.queue], q.opts.timeoutSec * 1000);
      q.events = q.listen(connectionOptions(q.target));
      await whenReady(q.target, [q.events], q.opts.timeoutSec * 1000);
    } catch (e) {
      await q.close().catch(() => undefined);
      throw e;
    }
    await q.poll();
    q.timer = setInterval(() => q.tick(), q.opts.pollMs);
    q.timer.unref();
    return q;
  }

  /** Workers seen on the last poll, counted by their announced concurrency (at least 1). */
  get capacity(): number {
    return Math.max(1, this.workers);
  }

  run(job: DistJob, onProgress?: (p: JobProgress) => void): Promise<TrainJobResult> {
    if (this.closed) return Promise.reject(new CosearchError('the Redis queue is closed', ExitCode.SOFTWARE));
    const id = distJobId(job);
    const bid = queueKey(job);
    let w = this.waiters.get(bid);
    if (!w) {
      let resolve!: (r: TrainJobResult) => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<TrainJobResult>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      if (this.waiters.size === 0) this.pendingSince = Date.now();
      w = { id, bid, job, promise, resolve, reject, listeners: new Set(), added: false, checking: false };
      this.waiters.set(bid, w);
      void this.submit(w);
    }
    if (onProgress) w.listeners.add(onProgress);
    return w.promise;
  }

  private waiterOf(bid: string): Waiter | undefined {
    return this.waiters.get(bid);
  }

  private jobOptions(bid: string) {
    return {
      jobId: bid,
      attempts: this.opts.attempts,
      backoff: { type: 'exponential' as const, delay: this.opts.backoffMs },
      removeOnComplete: { age: KEEP_SECONDS },
      removeOnFail: { age: KEEP_SECONDS },
    };
  }

  /** Add the job unless it exists; a job that failed in an earlier run is asked again (its data or workers may be fixed). */
  private async submit(w: Waiter): Promise<void> {
    const { id, bid } = w;
    try {
      const existing = await this.queue.getJob(bid);
      if (existing && (await existing.isFailed())) await existing.remove();
      else if (existing) this.log(`queue: job ${id} (${w.job.key}) is already in the queue, collecting its result`);
      await this.queue.add(w.job.type, w.job, this.jobOptions(bid));
      w.added = true;
      await this.check(w);
    } catch (e) {
      this.fail(w, e as Error);
    }
  }

  private settle(w: Waiter, r: TrainJobResult): void {
    if (this.waiters.get(w.bid) !== w) return;
    this.waiters.delete(w.bid);
    w.resolve(r);
  }

  private fail(w: Waiter, e: Error): void {
    if (this.waiters.get(w.bid) !== w) return;
    this.waiters.delete(w.bid);
    w.reject(e);
  }

  /** Look at the job's state and settle its run when it finished (or add it again when Redis lost it). */
  private async check(w: Waiter): Promise<void> {
    if (w.checking || !w.added) return;
    w.checking = true;
    const { id, bid } = w;
    try {
      const state = await this.queue.getJobState(bid);
      if (state === 'completed' || state === 'failed') {
        const j = await this.queue.getJob(bid);
        if (!j) return;
        if (state === 'completed') this.settle(w, j.returnvalue as TrainJobResult);
        else this.fail(w, decodeFailure(j.failedReason, `job ${id} (${w.job.key}) on worker ${j.processedBy ?? '?'}, attempt ${j.attemptsMade}/${this.opts.attempts}`));
      } else if (state === 'unknown') {
        this.log(`queue: job ${id} (${w.job.key}) is no longer in Redis at ${this.target.masked} (restarted without appendonly?): adding it again`);
        await this.queue.add(w.job.type, w.job, this.jobOptions(bid));
      }
    } catch (e) {
      this.lastError = (e as Error).message;
    } finally {
      w.checking = false;
    }
  }

  private async poll(): Promise<void> {
    this.pollStarted = Date.now();
    try {
      const list = await this.queue.getWorkers();
      const n = list.reduce((s, c) => s + workerConcurrency((c as { rawname?: string }).rawname), 0);
      if (n !== this.workers && (n > 0 || this.waiters.size > 0)) this.log(`queue: ${n} worker slot(s) connected to ${this.target.masked}`);
      this.workers = n;
      if (n > 0) {
        this.noWorkerSince = undefined;
        this.warned = false;
      } else this.noWorkerSince ??= Date.now();
      await Promise.all([...this.waiters.values()].map((w) => this.check(w)));
    } finally {
      this.pollStarted = 0;
    }
  }

  /** Timer: start a poll unless one is still running; fail waiting runs when no worker came for timeoutSec. */
  private tick(): void {
    const now = Date.now();
    const stuck = this.pollStarted > 0 && now - this.pollStarted > Math.max(5000, 2 * this.opts.pollMs);
    if (stuck) this.noWorkerSince ??= this.pollStarted;
    if (this.waiters.size > 0 && this.noWorkerSince !== undefined) {
      const since = Math.max(this.noWorkerSince, this.pendingSince);
      const why = stuck ? `Redis at ${this.target.masked} does not answer${this.lastError ? ` (${this.lastError})` : ''}` : `no worker is connected to ${this.target.masked}`;
      if (!this.warned) {
        this.warned = true;
        this.log(`queue: waiting: ${why}; start one with \`cosearch worker --queue ${this.target.masked}\`${this.opts.timeoutSec ? ` (giving up after ${this.opts.timeoutSec} s, --queue-timeout)` : ''}`);
      }
      if (this.opts.timeoutSec > 0 && now - since > this.opts.timeoutSec * 1000) {
        for (const w of [...this.waiters.values()]) {
          this.fail(w, new TempError(`job ${w.id} (${w.job.key}) was not run: ${why} for ${this.opts.timeoutSec} s`, `start workers with \`cosearch worker --queue ${this.target.masked}\`, or raise --queue-timeout (0 waits forever); the job stays queued for the next run`));
        }
        this.warned = false;
      }
    }
    if (this.pollStarted === 0) this.poll().catch((e) => (this.lastError = (e as Error).message));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const w of [...this.waiters.values()]) this.fail(w, new TempError(`the queue was closed before job ${w.id} (${w.job.key}) finished`, 'the job stays queued: run the search again with --resume'));
    await Promise.allSettled([this.events?.close(), this.queue.close()]);
  }

  /** The underlying BullMQ queue (status and tests). */
  get bull(): Queue {
    return this.queue;
  }
}
