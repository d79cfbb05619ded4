/**
 * The Redis job queue against a real redis-server (loopback, appendonly) and real worker processes running tiny
 * real trainings (1 conv, 1 epoch, 256 Fashion-MNIST training and 128 test images).
 * Needs: redis-server (make test installs it), the Fashion-MNIST dataset, dist/ (rebuilt when stale).
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CosearchError } from '../../src/errors.js';
import { openQueueFromArgs } from '../../src/dist/index.js';
import { RedisQueue } from '../../src/dist/redis-queue.js';
import { LocalQueue } from '../../src/search/local-queue.js';
import { jobId, type TrainJob, type TrainJobResult } from '../../src/search/jobs.js';
import { buildOnce, HAVE_REDIS, stable, until, startRedis, startWorkerProc, stopWorker, tinyJob, type RedisServer, type WorkerProc } from './helpers.js';

const DATA = '/usr/share/datasets/fashion-mnist';

// Without redis-server these tests cannot run: `make test` installs it (APT_PACKAGES); the reason is printed.
const suite = HAVE_REDIS ? describe : describe.skip;
if (!HAVE_REDIS) console.warn('test/queue: redis-server is not installed (apt-get install redis-server): Redis queue tests skipped');

suite('RedisQueue with real workers', () => {
  let redis: RedisServer;
  let workers: WorkerProc[] = [];
  let queues: RedisQueue[] = [];
  const lines: string[] = [];
  const log = (l: string): void => void lines.push(l);

  const open = async (o: Parameters<typeof RedisQueue.open>[1] = {}, url = redis.url): Promise<RedisQueue> => {
    const q = await RedisQueue.open(url, { pollMs: 300, backoffMs: 200, log, ...o });
    queues.push(q);
    return q;
  };
  const worker = (args: string[] = [], env: Record<string, string> = {}, url = redis.url): WorkerProc => {
    const w = startWorkerProc(url, args, env);
    workers.push(w);
    return w;
  };
  /** attempts a worker started on a job (its `started, attempt` lines) */
  const starts = (w: WorkerProc, id: string): number => w.log().match(new RegExp(`job ${id} \\([^)]*\\) started, attempt`, 'g'))?.length ?? 0;
  const local = new Map<string, TrainJobResult>();
  const localRun = async (job: TrainJob): Promise<TrainJobResult> => {
    const id = jobId(job);
    if (!local.has(id)) local.set(id, await new LocalQueue({ backend: 'wasm' }).run(job));
    return local.get(id)!;
  };

  beforeAll(async () => {
    await buildOnce();
    redis = await startRedis();
  });
  beforeEach(async () => {
    const c = new Redis(redis.port, '127.0.0.1');
    await c.flushall();
    c.disconnect();
    lines.length = 0;
  });
  afterEach(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await Promise.all(workers.map(stopWorker));
    queues = [];
    workers = [];
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('2 workers finish a batch with the same results as the local queue; a duplicate or repeated run is not run again', async () => {
    const jobs = await Promise.all([4, 6, 8, 4].map((c, i) => tinyJob(c, 11 + i)));
    const [a, b] = [worker(), worker()];
    const q = await open();
    await Promise.all([a.waitFor(/waiting for jobs/), b.waitFor(/waiting for jobs/)]);
    await until(() => q.capacity === 2, 'capacity 2');
    const progress: string[] = [];
    const results = await Promise.all([...jobs.map((j) => q.run(j, (p) => progress.push(p.id))), q.run(jobs[0]!)]);
    for (const [i, j] of jobs.entries()) {
      expect(results[i]!.id).toBe(jobId(j));
      expect(stable(results[i]!)).toEqual(stable(await localRun(j)));
      expect(starts(a, jobId(j)) + starts(b, jobId(j))).toBe(1);
    }
    expect(results[4]).toEqual(results[0]);
    // both workers took jobs, and progress reached the coordinator
    expect(a.log(), a.log()).toMatch(/done in/);
    expect(b.log(), b.log()).toMatch(/done in/);
    expect(new Set(progress)).toEqual(new Set(jobs.map(jobId)));
    // a second coordinator (a resumed run) collects the finished results without running anything again
    const q2 = await open();
    const again = await Promise.all(jobs.map((j) => q2.run(j)));
    expect(again).toEqual(results.slice(0, 4));
    for (const j of jobs) expect(starts(a, jobId(j)) + starts(b, jobId(j))).toBe(1);
  });

  it('a job asking for the model is not answered by the same training without it', async () => {
    const job = await tinyJob(4, 17);
    const a = worker();
    const q = await open();
    const plain = await q.run(job);
    expect(plain.model).toBeUndefined();
    const withModel = await q.run({ ...job, returnModel: true });
    expect(withModel.id).toBe(plain.id);
    expect(Buffer.from(withModel.model!.json, 'base64').toString()).toMatch(/"layers"/);
    expect(stable({ ...withModel, model: undefined })).toEqual(stable({ ...plain, model: undefined }));
    expect([starts(a, jobId(job)), starts(a, `${jobId(job)}-model`)]).toEqual([1, 1]);
  });

  it('--concurrency 2: two worker processes, capacity 2, both stop on SIGTERM', async () => {
    const jobs = await Promise.all([4, 6].map((c, i) => tinyJob(c, 15 + i)));
    const a = worker(['--concurrency', '2']);
    const q = await open();
    await a.waitFor(/waiting for jobs[\s\S]*waiting for jobs/);
    await until(() => q.capacity === 2, 'capacity 2');
    const results = await Promise.all(jobs.map((j) => q.run(j)));
    for (const [i, j] of jobs.entries()) expect(stable(results[i]!)).toEqual(stable(await localRun(j)));
    const pids = new Set([...a.log().matchAll(/worker [^:\s]+:(\d+):c1: job \S+ \([^)]*\) started/g)].map((m) => m[1]));
    expect(pids.size).toBe(2);
    a.proc.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(a.log().match(/stopped/g)).toHaveLength(2);
  });

  it('a worker killed -9 mid-job: the job is retried on the other worker and its result returned once', async () => {
    const job = await tinyJob(8, 21, { epochs: 3, trainLimit: 1024 });
    const id = jobId(job);
    const a = worker();
    await a.waitFor(/waiting for jobs/);
    const q = await open();
    const run = q.run(job);
    await a.waitFor(new RegExp(`job ${id} epoch 1`));
    a.proc.kill('SIGKILL');
    await a.exited;
    const b = worker();
    const r = await run;
    expect(b.log()).toMatch(new RegExp(`job ${id} \\(${job.key}\\) started`));
    expect(b.log()).toMatch(new RegExp(`job ${id} \\(${job.key}\\) done`));
    expect(stable(r)).toEqual(stable(await localRun(job)));
    const j = await q.bull.getJob(id);
    expect(await j!.getState()).toBe('completed');
    expect(j!.stalledCounter).toBe(1);
  });

  it('a deterministic failure (bad design) fails once with its message and exit code', async () => {
    const good = await tinyJob(4, 31);
    const bad: TrainJob = { ...good, key: 'bad', design: { ...good.design, input: { ...good.design.input, height: 12, width: 12 } } };
    const a = worker();
    const q = await open({ attempts: 4 });
    const e = (await q.run(bad).catch((x: unknown) => x)) as CosearchError;
    expect(e).toBeInstanceOf(CosearchError);
    expect(e.exitCode).toBe(65);
    expect(e.message).toMatch(/design input 12x12x1 does not match the fashion-mnist images/);
    expect(e.message).toMatch(/attempt 1\/4/);
    expect(e.hint).toMatch(/set input to 28x28x1/);
    expect(starts(a, jobId(bad))).toBe(1);
    expect(a.log()).toMatch(/deterministic: not retried/);
    // a job made by another cosearch version is refused the same way
    const other: TrainJob = { ...good, key: 'other-version', codeVersion: '0.0.0+t0' };
    const e2 = (await q.run(other).catch((x: unknown) => x)) as CosearchError;
    expect(e2.exitCode).toBe(65);
    expect(e2.message).toMatch(/was made by cosearch 0\.0\.0\+t0, this is \d/);
    expect(starts(a, jobId(other))).toBe(1);
  });

  it('a transient failure is retried with exponential backoff up to the limit', async () => {
    const job = await tinyJob(4, 41);
    const a = worker([], { COSEARCH_TEST_TRANSIENT_FAILURES: '2' });
    const q = await open({ attempts: 3, backoffMs: 400 });
    const t0 = Date.now();
    const r = await q.run(job);
    // two backoffs: 400 ms then 800 ms
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1200);
    expect(stable(r)).toEqual(stable(await localRun(job)));
    expect(starts(a, jobId(job))).toBe(3);
    expect(a.log()).toMatch(/attempt 3\/3/);
    // the training thread dying (as an out-of-memory abort ends it) is transient too: a new thread runs the retry
    const job3 = await tinyJob(4, 43);
    const c = worker([], { COSEARCH_TEST_THREAD_EXITS: '1' });
    await stopWorker(a);
    expect(stable(await q.run(job3))).toEqual(stable(await localRun(job3)));
    expect(c.log()).toMatch(/the training thread exited \(code 3\)/);
    expect(starts(c, jobId(job3))).toBe(2);
    await stopWorker(c);
    // more failures than attempts: fails after the limit with the transient exit code
    const job2 = await tinyJob(4, 42);
    const b = worker([], { COSEARCH_TEST_TRANSIENT_FAILURES: '5' });
    const e = (await q.run(job2).catch((x: unknown) => x)) as CosearchError;
    expect(e.exitCode).toBe(75);
    expect(e.message).toMatch(/injected transient failure 3 of 5.*attempt 3\/3/);
    expect(starts(b, jobId(job2))).toBe(3);
  });

  it('Redis restarted (appendonly) mid-run: the run continues and every result arrives', async () => {
    const jobs = await Promise.all([4, 6, 8].map((c, i) => tinyJob(c, 51 + i)));
    const a = worker();
    const q = await open();
    const runs = jobs.map((j) => q.run(j));
    await a.waitFor(/done in/);
    await redis.restart(1000);
    const results = await Promise.all(runs);
    for (const [i, j] of jobs.entries()) expect(stable(results[i]!)).toEqual(stable(await localRun(j)));
    expect(a.log()).toMatch(/done in[\s\S]*done in[\s\S]*done in/);
  });

  it('no worker: the coordinator says so and fails with exit 75 after --queue-timeout', async () => {
    const job = await tinyJob(4, 61);
    const q = (await openQueueFromArgs({ queue: redis.url, queueTimeout: 2 })) as RedisQueue;
    queues.push(q);
    const err: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
    let e: CosearchError;
    const t0 = Date.now();
    try {
      e = (await q.run(job).catch((x: unknown) => x)) as CosearchError;
    } finally {
      process.stderr.write = write;
    }
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    expect(e.exitCode).toBe(75);
    expect(e.message).toMatch(/no worker is connected to redis:\/\/127\.0\.0\.1:\d+\/0 for 2 s/);
    expect(err.join('')).toMatch(/queue: waiting: no worker is connected.*cosearch worker --queue/);
    // the job stays queued: a worker started later runs it and the next run collects it
    worker();
    const r = await (await open()).run(job);
    expect(stable(r)).toEqual(stable(await localRun(job)));
  });

  it('a worker whose dataset differs (one test label changed) refuses the job with a digest mismatch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cosearch-fmnist-'));
    try {
      for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz']) symlinkSync(join(DATA, f), join(dir, f));
      const labels = gunzipSync(readFileSync(join(DATA, 't10k-labels-idx1-ubyte.gz')));
      labels[8 + 5] = (labels[8 + 5]! + 1) % 10; // test image 5's label
      writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels);
      const job = await tinyJob(4, 71);
      const a = worker(['--data', dir]);
      const q = await open();
      const e = (await q.run(job).catch((x: unknown) => x)) as CosearchError;
      expect(e.exitCode).toBe(65);
      expect(e.message).toMatch(/the fashion-mnist data here \(digest [0-9a-f]{12}\) differs from the coordinator's/);
      expect(e.hint).toMatch(/--data/);
      expect(starts(a, jobId(job))).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SIGTERM: a worker finishes its job (within --grace), or hands it back at once with --grace 0', async () => {
    const job = await tinyJob(8, 81, { epochs: 2, trainLimit: 512 });
    const id = jobId(job);
    const a = worker(['--grace', '60']);
    const q = await open();
    const run = q.run(job);
    await a.waitFor(new RegExp(`job ${id} epoch 1`));
    a.proc.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(a.log()).toMatch(/SIGTERM: finishing job/);
    expect(a.log()).toMatch(new RegExp(`job ${id} \\(.*\\) done`));
    expect(stable(await run)).toEqual(stable(await localRun(job)));

    const job2 = await tinyJob(8, 82, { epochs: 2, trainLimit: 512 });
    const id2 = jobId(job2);
    const b = worker(['--grace', '0']);
    const run2 = q.run(job2);
    await b.waitFor(new RegExp(`job ${id2} epoch 1`));
    b.proc.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    expect(b.log()).toMatch(new RegExp(`handed job\\(s\\) ${id2} back`));
    expect(b.log()).not.toMatch(new RegExp(`job ${id2} \\(.*\\) done`));
    const c = worker();
    expect(stable(await run2)).toEqual(stable(await localRun(job2)));
    expect(c.log()).toMatch(new RegExp(`job ${id2} \\(.*\\) done`));
  });
});
