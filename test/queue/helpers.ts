/**
 * Test helpers for the Redis queue: a real redis-server on a free loopback port (appendonly, in a temp dir, stopped
 * afterwards), worker child processes (`node dist/src/cli/main.js worker …`; dist/ is rebuilt
 * in beforeAll when a source is newer), and tiny real training jobs of the shape the search makes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { Design } from '../../src/core/design.js';
export { freePort, startRedis, type RedisServer } from '../../src/dist/local-redis.js';
import { codeVersion, datasetDigest, jobSplits } from '../../src/search/execute.js';
import type { TrainJob } from '../../src/search/jobs.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const MAIN = join(ROOT, 'dist/src/cli/main.js');
export const HAVE_REDIS = spawnSync('redis-server', ['--version']).status === 0;

/** Source files newer than their compiled dist/ file (the workers would run stale code). */
function staleSources(dir = join(ROOT, 'src')): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...staleSources(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
      const js = join(ROOT, 'dist', relative(ROOT, p)).replace(/\.ts$/, '.js');
      if (!existsSync(js) || statSync(js).mtimeMs < statSync(p).mtimeMs) out.push(p);
    }
  }
  return out;
}

/** Compile when dist/ is stale (make test has built it already), one test file at a time (a directory lock). */
export async function buildOnce(): Promise<void> {
  const lock = join(ROOT, 'dist', '.test-build-lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 600) throw new Error(`${lock} held for 5 minutes: remove it if no test is running`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (staleSources().length === 0 && existsSync(MAIN)) return;
    const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    // tsc emits despite type errors (elsewhere in the tree, say a bench in progress): those are the type check's
    // business (npx tsc --noEmit); the workers only need fresh JavaScript
    const stale = staleSources();
    if (stale.length || !existsSync(MAIN)) throw new Error(`tsc did not build ${stale[0] ?? MAIN}:\n${r.stdout}${r.stderr}`);
    if (r.status !== 0) console.warn(`test/queue: tsc reported errors (the JavaScript was emitted):\n${r.stdout}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface WorkerProc {
  proc: ChildProcess;
  /** everything written to stderr so far */
  log(): string;
  /** resolves when stderr matches */
  waitFor(re: RegExp, ms?: number): Promise<string>;
  exited: Promise<number | null>;
}

export function startWorkerProc(url: string, args: string[] = [], env: Record<string, string> = {}): WorkerProc {
  const proc = spawn(process.execPath, [MAIN, 'worker', '--queue', url, '--backend', 'wasm', '--stall-timeout', '2', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const watchers = new Set<() => void>();
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of watchers) w();
  });
  proc.stdout!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((res) => proc.on('exit', (c) => res(c)));
  return {
    proc,
    log: () => err,
    exited,
    waitFor(re, ms = 60_000) {
      return new Promise((res, rej) => {
        const check = (): void => {
          const m = re.exec(err);
          if (m) {
            watchers.delete(check);
            clearTimeout(t);
            res(m[0]);
          }
        };
        const t = setTimeout(() => {
          watchers.delete(check);
          rej(new Error(`worker stderr did not match ${re} within ${ms} ms:\n${err}`));
        }, ms);
        watchers.add(check);
        check();
      });
    },
  };
}

export async function stopWorker(w: WorkerProc): Promise<void> {
  if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
  await w.exited;
}

/** A one-conv design (28x28 Fashion-MNIST input): trains 1 epoch on 256 images in about a second. */
export function tinyDesign(channels: number): Design {
  return {
    version: 1,
    name: `tiny_c${channels}`,
    input: { height: 28, width: 28, channels: 1, bits: 8 },
    layers: [
      { kind: 'conv', outChannels: channels, kernel: 3, padding: 0, wBits: 2, aBits: 2, pe: 1, simd: 1 },
      { kind: 'maxpool', size: 2 },
      { kind: 'dense', outFeatures: 10, wBits: 2, pe: 1, simd: 1 },
    ],
    target: { part: 'xc7z020', clockMHz: 100 },
  } as Design;
}

/** A TrainJob exactly as the search builds one (digest of the data on this machine, this code's version). */
export async function tinyJob(channels: number, seed: number, opts: { epochs?: number; trainLimit?: number; dataDir?: string } = {}): Promise<TrainJob> {
  const fidelity = { epochs: opts.epochs ?? 1, trainLimit: opts.trainLimit ?? 256, testLimit: 128, batchSize: 64, recipe: 'base' };
  const { train, test } = await jobSplits({ dataset: 'fashion-mnist', fidelity }, { dataDir: opts.dataDir });
  return { type: 'train', key: `c${channels}-s${seed}`, design: tinyDesign(channels), fidelity, seed, threads: 1, dataset: 'fashion-mnist', datasetDigest: datasetDigest(train, test), codeVersion: codeVersion() };
}

/** A result without its wall time (the only part that is not a function of the job). */
export function stable<T extends { seconds: number }>(r: T): Omit<T, 'seconds'> {
  const { seconds: _s, ...rest } = r;
  return rest;
}

/** Poll `cond` every 50 ms; throw naming `what` (evaluated then) after `ms`. */
export async function until(cond: () => boolean, what: string | (() => string), ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
