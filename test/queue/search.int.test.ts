/**
 * A small co-search with a coordinator and 2 workers on a real Redis; one worker and the coordinator are each killed
 * -9 once (the coordinator is resumed): the same winner and the same journaled job results as the local run.
 * Needs: redis-server (make test installs it), the Fashion-MNIST dataset, dist/ (rebuilt when stale), tsx.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { search, type SearchOptions } from '../../src/search/index.js';
import { buildOnce, HAVE_REDIS, ROOT, until, startRedis, startWorkerProc, stopWorker, type RedisServer, type WorkerProc } from './helpers.js';

const suite = HAVE_REDIS ? describe : describe.skip;
if (!HAVE_REDIS) console.warn('test/queue/search: redis-server is not installed (apt-get install redis-server): skipped');

// 1 wave of 4 candidates at r0, the best 1/3 at r1, one final training: 7 jobs of about a second each
const OPTIONS: SearchOptions = {
  luts: 20000, fps: 1000, space: join(ROOT, 'test/fixtures/spaces/tiny-28x28x1.json'), seed: 3, qatSpeed: '0.0002,0.000000002', trainLimit: 512, testLimit: 128,
  finalEpochs: 1, waves: 1, waveSize: 4, csimImages: 0, noPrior: true, backend: 'wasm', workers: 1, budgetMinutes: 2,
};

interface JobLine {
  type: string;
  id: string;
  key: string;
  rung: string;
  result: Record<string, unknown>;
}

/** The journal's job records, each id once (a second record of an id fails the test), without wall times. */
function journaledJobs(dir: string): Map<string, unknown> {
  const jobs = new Map<string, unknown>();
  for (const line of readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as JobLine;
    if (r.type !== 'job') continue;
    expect(jobs.has(r.id), `job ${r.id} journaled twice`).toBe(false);
    const { seconds: _s, ...result } = r.result;
    jobs.set(r.id, { key: r.key, rung: r.rung, result });
  }
  return jobs;
}

function coordinator(url: string, dir: string, spec: string): { lines: () => string[]; kill: () => void; exited: Promise<number | null>; log: () => string } {
  const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/queue/fixtures/coordinator.ts'), url, dir, spec], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return { lines: () => out.split('\n').filter(Boolean), kill: () => p.kill('SIGKILL'), exited: new Promise((res) => p.on('exit', (c) => res(c))), log: () => out + err };
}

suite('co-search on a Redis queue', () => {
  let redis: RedisServer;
  let base: string;
  const workers: WorkerProc[] = [];
  beforeAll(async () => {
    await buildOnce();
    redis = await startRedis();
    base = mkdtempSync(join(tmpdir(), 'cosearch-dist-search-'));
  });
  afterAll(async () => {
    await Promise.all(workers.map(stopWorker));
    await redis?.stop();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('2 workers, a worker and the coordinator killed -9 once: same winner and journal as the local run', async () => {
    const local = await search({ ...OPTIONS, out: join(base, 'local') });
    const localJobs = journaledJobs(join(base, 'local'));
    expect(localJobs.size).toBeGreaterThanOrEqual(5);

    const a = startWorkerProc(redis.url);
    const b = startWorkerProc(redis.url);
    workers.push(a, b);
    const dir = join(base, 'dist');
    const c1 = coordinator(redis.url, dir, JSON.stringify(OPTIONS));
    // worker A dies in the middle of its first job: B takes it over after the stall timeout
    await a.waitFor(/started, attempt/);
    a.proc.kill('SIGKILL');
    // the coordinator dies after journaling two results; the queued jobs go on without it
    await until(() => c1.lines().filter((l) => l.includes('"type":"job"')).length >= 2, () => `two journaled jobs\n${c1.log()}`, 120_000);
    c1.kill();
    await c1.exited;
    const c2 = coordinator(redis.url, dir, '--resume');
    expect(await c2.exited, c2.log()).toBe(0);
    const winner = JSON.parse(c2.lines().at(-1)!) as { type: string; key: string; finalAcc: number };
    expect(winner).toEqual({ type: 'winner', key: local.winner.key, finalAcc: local.winner.finalAcc });
    expect(journaledJobs(dir)).toEqual(localJobs);
    // the journal names the queue without a password; worker B did the work A left
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).toContain(`"queue":"redis ${redis.url}"`);
    expect(b.log()).toMatch(/done in/);
  });
});
