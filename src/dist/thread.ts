/** The main-thread side of the worker's training thread (src/dist/exec-thread.ts): one job at a time. */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CosearchError, TempError, type ExitCodeValue } from '../errors.js';
import type { ExecEnv } from '../search/execute.js';
import type { JobProgress, TrainJobResult } from '../search/jobs.js';
import type { ThreadError } from './exec-thread.js';
import type { DistJob } from './jobs.js';

type Message = { type: 'ready'; backend: string } | { type: 'init-error'; e: ThreadError } | { type: 'progress'; p: JobProgress } | { type: 'result'; r: TrainJobResult } | { type: 'error'; e: ThreadError };

function revive(e: ThreadError): Error {
  if (e.exitCode !== undefined) return new CosearchError(e.message, e.exitCode as ExitCodeValue, e.hint);
  const err = new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}

export class ExecThread {
  private thread?: Worker;
  private current?: { resolve: (r: TrainJobResult) => void; reject: (e: Error) => void; onProgress?: (p: JobProgress) => void };
  /** the TF.js backend the thread runs (after start) */
  backend = '';

  constructor(private readonly env: ExecEnv) {}

  /** Start the thread and its TF.js backend (rejects with the backend's error, e.g. exit 69). */
  async start(): Promise<string> {
    const self = fileURLToPath(import.meta.url);
    const t = new Worker(new URL(`./exec-thread${extname(self)}`, import.meta.url), { workerData: { env: this.env } });
    this.thread = t;
    this.backend = await new Promise<string>((resolve, reject) => {
      t.on('message', (m: Message) => {
        if (m.type === 'ready') resolve(m.backend);
        else if (m.type === 'init-error') reject(revive(m.e));
        else if (m.type === 'progress') this.current?.onProgress?.(m.p);
        else if (m.type === 'result') this.settle()?.resolve(m.r);
        else if (m.type === 'error') this.settle()?.reject(revive(m.e));
      });
      const died = (why: string): void => {
        reject(new TempError(`the training thread ${why}`));
        // a crashed thread (out of memory, a native abort) is a transient failure of this job; the next gets a new thread
        this.settle()?.reject(new TempError(`the training thread ${why}`, 'the job is retried; if it keeps happening, look at the worker machine (memory)'));
        if (this.thread === t) this.thread = undefined;
      };
      t.on('error', (e) => died(`failed: ${e.message}`));
      t.on('exit', (code) => died(`exited (code ${code})`));
    });
    return this.backend;
  }

  private settle(): ExecThread['current'] {
    const c = this.current;
    this.current = undefined;
    return c;
  }

  /** Run a job (a thread that died is started again first). `testExit`: the thread exits instead (tests). */
  async run(job: DistJob, onProgress?: (p: JobProgress) => void, testExit = false): Promise<TrainJobResult> {
    if (this.current) throw new Error('internal: the training thread runs one job at a time');
    if (!this.thread) await this.start();
    return new Promise((resolve, reject) => {
      this.current = { resolve, reject, onProgress };
      this.thread!.postMessage({ job, testExit });
    });
  }

  async stop(): Promise<void> {
    const t = this.thread;
    this.thread = undefined;
    await t?.terminate();
  }
}
