/**
 * Distributed-queue bench (a throw-away redis-server on a loopback port unless --queue URL is given):
 *
 * 1. Per-job overhead of the Redis path against the local one: M `sleep 0` jobs run in this process one after
 *    another (what LocalQueue does) vs through Redis to one worker, one at a time (latency: submit -> result), and
 *    all at once (throughput). Printed as ms per job.
 * 2. Scaling: N = 1, 4, 16 simulated workers (BullMQ workers in this process, each with its own connections; their
 *    jobs sleep a known time) driven by an ASHA coordinator (asynchronous successive halving, Li et al., "A System
 *    for Massively Parallel Hyperparameter Tuning", MLSys 2020): rungs of 1, 3, 9 time units; whenever a slot is
 *    free, promote a candidate that is in the top 1/3 of its rung's results so far, else start a new candidate.
 *    Utilisation = worker-measured busy time / (N x wall time), from the first submission to the last result.
 *
 *   npx tsx bench/dist.ts [--jobs 200] [--unit-ms 100] [--candidates-per-worker 40] [--workers 1,4,16] [--queue URL]
 */
import { createHash } from 'node:crypto';
import { executeJob, type SleepJob } from '../src/dist/jobs.js';
import { startRedis } from '../src/dist/local-redis.js';
import { RedisQueue } from '../src/dist/redis-queue.js';
import { maskUrl } from '../src/dist/url.js';
import { startWorker, type QueueWorker } from '../src/dist/worker.js';
import type { TrainJobResult } from '../src/search/jobs.js';
import { arg } from './lib/args.js';

const quiet = (): void => undefined;

async function workers(url: string, n: number, tag: string): Promise<QueueWorker[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => startWorker({ url, env: {}, log: quiet, name: `bench-${tag}-${i}`, inline: true })));
}

async function closeAll(ws: QueueWorker[]): Promise<void> {
  await Promise.all(ws.map((w) => w.worker.close()));
}

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function overhead(url: string, m: number): Promise<void> {
  const jobs = (tag: string): SleepJob[] => Array.from({ length: m }, (_, i) => ({ type: 'sleep', key: `${tag}-${i}`, ms: 0, acc: 0 }));
  let t0 = performance.now();
  for (const j of jobs('local')) await executeJob(j, {});
  const local = (performance.now() - t0) / m;

  const q = await RedisQueue.open(url, { pollMs: 1000, log: quiet });
  const ws = await workers(url, 1, 'overhead');
  await until(() => q.capacity === 1, 'the worker');
  t0 = performance.now();
  for (const j of jobs(`seq-${Date.now()}`)) await q.run(j);
  const seq = (performance.now() - t0) / m;
  t0 = performance.now();
  await Promise.all(jobs(`par-${Date.now()}`).map((j) => q.run(j)));
  const par = (performance.now() - t0) / m;
  await closeAll(ws);
  await q.close();
  console.log(`per-job overhead (${m} trivial jobs, 1 worker): local ${local.toFixed(3)} ms/job; redis one at a time ${seq.toFixed(2)} ms/job (${(seq - local).toFixed(2)} ms more), all queued at once ${par.toFixed(2)} ms/job`);
}

/** Deterministic simulated accuracy of a candidate at a rung (a little better with more budget). */
function simAcc(cand: number, rung: number): number {
  const h = createHash('sha256').update(`${cand}`).digest();
  return 0.5 + 0.4 * (h.readUInt32BE(0) / 2 ** 32) + 0.02 * rung + 0.01 * (h[4]! / 255);
}

interface Rung {
  results: Array<{ cand: number; acc: number }>;
  promoted: Set<number>;
}

async function asha(url: string, n: number, unitMs: number, candidates: number, run: string): Promise<{ wall: number; busy: number; jobs: number[] }> {
  const budgets = [1, 3, 9];
  const eta = 3;
  const rungs: Rung[] = budgets.map(() => ({ results: [], promoted: new Set() }));
  const q = await RedisQueue.open(url, { pollMs: 1000, log: quiet });
  const ws = await workers(url, n, `${run}-n${n}`);
  await until(() => q.capacity === n, `${n} workers`);
  let started = 0;
  let inflight = 0;
  let busy = 0;
  const perRung = budgets.map(() => 0);
  // ASHA's get_job: the highest rung with a promotable candidate (top 1/eta of its results, not yet promoted)
  const next = (): { cand: number; rung: number } | undefined => {
    for (let k = budgets.length - 2; k >= 0; k--) {
      const r = rungs[k]!;
      const top = [...r.results].sort((a, b) => b.acc - a.acc || a.cand - b.cand).slice(0, Math.floor(r.results.length / eta));
      const c = top.find((x) => !r.promoted.has(x.cand));
      if (c) {
        r.promoted.add(c.cand);
        return { cand: c.cand, rung: k + 1 };
      }
    }
    return started < candidates ? { cand: started++, rung: 0 } : undefined;
  };
  const t0 = performance.now();
  await new Promise<void>((done, fail) => {
    const fill = (): void => {
      for (let j = inflight < q.capacity ? next() : undefined; j; j = inflight < q.capacity ? next() : undefined) {
        const job: SleepJob = { type: 'sleep', key: `${run}-n${n}-c${j.cand}-r${j.rung}`, ms: unitMs * budgets[j.rung]!, acc: simAcc(j.cand, j.rung) };
        const { cand, rung } = j;
        inflight++;
        perRung[rung]!++;
        q.run(job).then((r: TrainJobResult) => {
          inflight--;
          busy += r.seconds;
          rungs[rung]!.results.push({ cand, acc: r.acc });
          fill();
        }, fail);
      }
      if (inflight === 0) done();
    };
    fill();
  });
  const wall = (performance.now() - t0) / 1000;
  await closeAll(ws);
  await q.close();
  return { wall, busy, jobs: perRung };
}

async function main(): Promise<void> {
  const m = Number(arg('jobs', '200'));
  const unitMs = Number(arg('unit-ms', '100'));
  const perWorker = Number(arg('candidates-per-worker', '40'));
  const ns = arg('workers', '1,4,16').split(',').map(Number);
  const given = arg('queue');
  const server = given ? undefined : await startRedis();
  const url = given ?? server!.url;
  const run = `b${Date.now()}`;
  try {
    console.log(`dist bench on ${maskUrl(url)}${server ? ' (a redis-server started for this bench)' : ''}`);
    await overhead(url, m);
    console.log(`scaling: ASHA, rungs of 1/3/9 x ${unitMs} ms, promote the top 1/3 of each rung, ${perWorker} new candidates per worker`);
    console.log('workers  jobs (rung 0/1/2)   work s   wall s   ideal s   utilisation');
    for (const n of ns) {
      const r = await asha(url, n, unitMs, perWorker * n, run);
      console.log(`${String(n).padStart(7)}  ${r.jobs.join('/').padEnd(18)} ${r.busy.toFixed(1).padStart(7)}  ${r.wall.toFixed(2).padStart(7)}  ${(r.busy / n).toFixed(2).padStart(8)}   ${((100 * r.busy) / (n * r.wall)).toFixed(1)}%`);
    }
  } finally {
    await server?.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
