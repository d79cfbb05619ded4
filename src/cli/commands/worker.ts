/**
 * `cosearch worker --queue URL`: run the search's training jobs from a Redis queue on this machine, with its own
 * dataset directory and TF.js backend. SIGTERM (or Ctrl-C) finishes the running job within --grace seconds, else
 * hands it back to the queue; a second signal hands it back at once.
 */
import { spawn } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendPref } from '../../ml/backend.js';
import { COMMON, defineCommand, type ArgsOf } from '../options.js';
import { BACKEND_CHOICES } from './train.js';

const OPTIONS = {
  queue: { type: 'string', demand: true, describe: 'redis://[:PASSWORD@]host:6379/0 or rediss://… (TLS); the same URL as the coordinator' },
  concurrency: { type: 'integer', min: 1, default: 1, describe: 'jobs at once (one worker process each)' },
  data: { ...COMMON.dataDir, describe: "this machine's dataset directory (default $COSEARCH_DATA or /usr/share/datasets/<dataset>); its digest must match the coordinator's" },
  backend: { type: 'string', choices: BACKEND_CHOICES, default: 'auto', describe: 'TF.js backend (auto: tensorflow -> wasm -> cpu)' },
  'stall-timeout': { type: 'number', min: 1, default: 30, unit: 'seconds', describe: "seconds after which a dead worker's job is retried by another (BullMQ lock duration)" },
  grace: { type: 'number', min: 0, default: 60, unit: 'seconds', describe: 'on SIGTERM, seconds to finish the running job before handing it back to the queue' },
  json: { ...COMMON.json, describe: 'when stopped, print what this worker did as JSON (jobs done, failed, handed back)' },
} as const;
type WorkerArgs = ArgsOf<typeof OPTIONS>;

/** --concurrency N > 1: N worker processes of one job each (a TF.js backend per process), supervised here. */
async function superviseChildren(a: WorkerArgs): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const main = fileURLToPath(new URL(`../main${extname(self)}`, import.meta.url));
  const childArgs = ['worker', '--queue', a.queue, '--concurrency', '1', '--backend', a.backend, '--stall-timeout', String(a.stallTimeout), '--grace', String(a.grace), ...(a.data ? ['--data', a.data] : []), ...(a.json ? ['--json'] : [])];
  const children = Array.from({ length: a.concurrency }, () => spawn(process.execPath, [...process.execArgv, main, ...childArgs], { stdio: ['ignore', 'inherit', 'inherit'] }));
  const exits = children.map((c) => new Promise<number>((res) => c.on('exit', (code, sig) => res(code ?? (sig ? 128 : 1)))));
  const forward = (sig: NodeJS.Signals) => () => children.forEach((c) => c.exitCode === null && c.kill(sig));
  process.on('SIGTERM', forward('SIGTERM'));
  process.on('SIGINT', forward('SIGINT'));
  const bad = (await Promise.all(exits)).find((c) => c !== 0);
  if (bad !== undefined) process.exitCode = bad;
}

export const workerCommand = defineCommand({
  command: 'worker',
  describe: 'run training jobs from a Redis queue (a search started with --queue URL) on this machine',
  options: OPTIONS,
  handler: async (a) => {
    const { parseRedisUrl } = await import('../../dist/url.js');
    parseRedisUrl(a.queue); // a bad URL is a usage error before anything starts
    if (a.concurrency > 1) return superviseChildren(a);
    const { startWorker } = await import('../../dist/worker.js');
    const w = await startWorker({
      url: a.queue,
      env: { dataDir: a.data, backend: a.backend as BackendPref },
      stallMs: a.stallTimeout * 1000,
      onProgress: (p) => process.stderr.write(`worker: job ${p.id} epoch ${p.epoch} batch ${p.batch}/${p.batches} loss ${p.loss.toFixed(4)}\n`),
    });
    let handedBack: string[] = [];
    await new Promise<void>((resolve) => {
      let stopping = false;
      const handBack = async (): Promise<void> => {
        handedBack = await w.handBack().catch((e: Error) => (process.stderr.write(`worker ${w.name}: hand-back failed: ${e.message}\n`), [] as string[]));
        if (handedBack.length) process.stderr.write(`worker ${w.name}: handed job(s) ${handedBack.join(', ')} back to the queue\n`);
        resolve();
      };
      const onSignal = (sig: string): void => {
        if (stopping) return void handBack();
        stopping = true;
        const busy = w.active();
        process.stderr.write(`worker ${w.name}: ${sig}: ${busy.length ? `finishing job ${busy.map((j) => j.id).join(', ')} (up to ${a.grace} s; ${sig} again hands it back)` : 'no job running, stopping'}\n`);
        const timer = setTimeout(() => void handBack(), a.grace * 1000);
        void w.finish().then(() => {
          clearTimeout(timer);
          resolve();
        });
      };
      process.on('SIGTERM', () => onSignal('SIGTERM'));
      process.on('SIGINT', () => onSignal('SIGINT'));
    });
    process.stderr.write(`worker ${w.name}: stopped\n`);
    if (a.json) process.stdout.write(`${JSON.stringify({ worker: w.name, ...w.stats(), handedBack })}\n`);
    // a handed-back job's training thread and the TF.js pools would keep the process alive
    process.exit(process.exitCode ?? 0);
  },
});
