/**
 * The worker's training thread: executes one job at a time with executeJob, off the main thread, so that the main
 * thread's BullMQ lock renewals never wait for a training step (a QAT epoch can hold a thread for seconds; a lock
 * that is not renewed makes BullMQ hand the job to another worker). Messages: `{ job }` in; `ready`, `progress`,
 * `result`, `error` out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CosearchError } from '../errors.js';
import type { ExecEnv } from '../search/execute.js';
import { executeJob, type DistJob } from './jobs.js';

export interface ThreadError {
  message: string;
  exitCode?: number;
  hint?: string;
  stack?: string;
}

function serialise(e: unknown): ThreadError {
  const err = e as Error & { hint?: string };
  return e instanceof CosearchError ? { message: err.message, exitCode: e.exitCode, hint: err.hint } : { message: err?.message ?? String(e), stack: err?.stack };
}

const port = parentPort!;
const env = (workerData as { env: ExecEnv }).env;
port.on('message', (m: { job: DistJob; testExit?: boolean }) => {
  // test hook (THREAD_FAULT_ENV): the thread dies the way an out-of-memory abort would end it
  if (m.testExit) process.exit(3);
  executeJob(m.job, env, (p) => port.postMessage({ type: 'progress', p })).then(
    (r) => port.postMessage({ type: 'result', r }),
    (e: unknown) => port.postMessage({ type: 'error', e: serialise(e) }),
  );
});
try {
  const { describeBackend, initBackend } = await import('../ml/backend.js');
  await initBackend(env.backend ?? 'auto');
  port.postMessage({ type: 'ready', backend: await describeBackend() });
} catch (e) {
  port.postMessage({ type: 'init-error', e: serialise(e) });
}
