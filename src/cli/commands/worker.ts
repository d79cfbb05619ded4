/**
 * `cosearch worker --queue URL`: run the search's training jobs from a Redis queue on this machine, with its own
 * dataset directory and TF.js backend. SIGTERM (or Ctrl-C) finishes the running job within --grace seconds, else
 * hands it back to the queue; a second signal hands it back at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import type { BackendPref } from '../../ml/backend.js';

interface WorkerArgs {
  queue: string;
  concurrency: number;
  data?: string;
  backend: BackendPref;
  'stall-timeout': number;
  grace: number;
}

const BACKEND_CHOICES: BackendPref[] = ['auto', 'wasm', 'cpu', 'tensorflow'];

/** --concurrency N > 1: N worker processes of one job each (a TF.js backend is per process), supervised here. */
async function superviseChildren(args: WorkerArgs): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const main = fileURLToPath(new URL(`../main${extname(self)}`, import.meta.url));
  const childArgs = ['worker', '--queue', args.queue, '--concurrency', '1', '--backend', args.backend, '--stall-timeout', String(args['stall-timeout']), '--grace', String(args.grace), ...(args.data ? ['--data', args.data] : [])];
  const children: ChildProcess[] = [];
  const exits: Promise<number>[] = [];
  for (let i = 0; i < args.concurrency; i++) {
    const c = spawn(process.execPath, [...process.execArgv, main, ...childArgs], { stdio: ['ignore', 'inherit', 'inherit'] });
    children.push(c);
    exits.push(new Promise((res) => c.on('exit', (code, sig) => res(code ?? (sig ? 128 : 1)))));
  }
  const forward = (sig: NodeJS.Signals) => () => children.forEach((c) => c.exitCode === null && c.kill(sig));
  process.on('SIGTERM', forward('SIGTERM'));
  process.on('SIGINT', forward('SIGINT'));
  const codes = await Promise.all(exits);
  const bad = codes.find((c) => c !== 0);
  if (bad !== undefined) process.exitCode = bad;
}

export const workerCommand: CommandModule<object, WorkerArgs> = {
  command: 'worker',
  describe: 'run training jobs from a Redis queue (started by `cosearch search --queue URL`) on this machine',
  builder: (y) =>
    y
      .option('queue', { type: 'string', demandOption: true, describe: 'redis://[:PASSWORD@]host:6379/0 or rediss://… (TLS); the same URL as the coordinator' })
      .option('concurrency', { type: 'number', default: 1, describe: 'jobs at once (one worker process each)' })
      .option('data', { type: 'string', describe: "this machine's dataset directory (default $COSEARCH_DATA or /usr/share/datasets/<dataset>); its digest must match the coordinator's" })
      .option('backend', { choices: BACKEND_CHOICES, default: 'auto' as BackendPref, describe: 'TF.js backend (auto: tensorflow -> wasm -> cpu)' })
      .option('stall-timeout', { type: 'number', default: 30, describe: "seconds after which a dead worker's job is retried by another (BullMQ lock duration)" })
      .option('grace', { type: 'number', default: 60, describe: 'on SIGTERM, seconds to finish the running job before handing it back to the queue' }) as never,
  handler: async (args) => {
    if (!Number.isInteger(args.concurrency) || args.concurrency < 1) throw new UsageError(`--concurrency must be a positive integer, got ${args.concurrency}`);
    if (!(args['stall-timeout'] >= 1)) throw new UsageError(`--stall-timeout must be at least 1 second, got ${args['stall-timeout']}`);
    if (!(args.grace >= 0)) throw new UsageError(`--grace must be a number of seconds >= 0, got ${args.grace}`);
    const { parseRedisUrl } = await import('../../dist/url.js');
    parseRedisUrl(args.queue); // a bad URL is a usage error before anything starts
    if (args.concurrency > 1) return superviseChildren(args);

    const { startWorker } = await import('../../dist/worker.js');
    const w = await startWorker({
      url: args.queue,
      env: { dataDir: args.data, backend: args.backend },
      stallMs: args['stall-timeout'] * 1000,
      onProgress: (p) => process.stderr.write(`worker: job ${p.id} epoch ${p.epoch} batch ${p.batch}/${p.batches} loss ${p.loss.toFixed(4)}\n`),
    });
    await new Promise<void>((resolve) => {
      let stopping = false;
      const handBack = async (): Promise<void> => {
        const ids = await w.handBack().catch((e: Error) => (process.stderr.write(`worker ${w.name}: hand-back failed: ${e.message}\n`), [] as string[]));
        if (ids.length) process.stderr.write(`worker ${w.name}: handed job(s) ${ids.join(', ')} back to the queue\n`);
        resolve();
      };
      const onSignal = (sig: string): void => {
        if (stopping) {
          void handBack();
          return;
        }
        stopping = true;
        const busy = w.active();
        process.stderr.write(`worker ${w.name}: ${sig}: ${busy.length ? `finishing job ${busy.map((j) => j.id).join(', ')} (up to ${args.grace} s; ${sig} again hands it back)` : 'no job running, stopping'}\n`);
        const timer = setTimeout(() => void handBack(), args.grace * 1000);
        w.finish().then(() => {
          clearTimeout(timer);
          resolve();
        });
      };
      process.on('SIGTERM', () => onSignal('SIGTERM'));
      process.on('SIGINT', () => onSignal('SIGINT'));
    });
    process.stderr.write(`worker ${w.name}: stopped\n`);
    // the TF.js thread pool and a handed-back job's training would keep the process alive
    process.exit(process.exitCode ?? 0);
  },
};
