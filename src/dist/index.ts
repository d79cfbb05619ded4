/**
 * Where the search's jobs run: `openQueue(spec)` gives the local queue (no spec, or `local`) or a RedisQueue
 * (`redis://…`, `rediss://…`). The coordinator's command wires `--queue` and `--queue-timeout` with
 * `queueOptions(yargs)` and `openQueueFromArgs(args, env)`.
 */
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import type { ExecEnv } from '../search/execute.js';
import type { JobQueue } from '../search/jobs.js';
import { LocalQueue } from '../search/local-queue.js';
import { RedisQueue, type RedisQueueOptions } from './redis-queue.js';
import { maskUrl } from './url.js';

export { maskUrl } from './url.js';
export { RedisQueue } from './redis-queue.js';

/** The queue a spec names: undefined or `local` → LocalQueue(env); `redis://` / `rediss://` → RedisQueue (workers bring their own data). */
export async function openQueue(spec: string | undefined, env: ExecEnv = {}, opts: RedisQueueOptions = {}): Promise<JobQueue> {
  if (spec === undefined || spec === '' || spec === 'local') return new LocalQueue(env);
  if (/^rediss?:\/\//i.test(spec)) return RedisQueue.open(spec, opts);
  throw new UsageError(`--queue ${maskUrl(spec)}: expected local, redis://host:port/db or rediss://…`, 'e.g. --queue redis://127.0.0.1:6379/0 (start workers there with `cosearch worker --queue URL`)');
}

export interface QueueArgs {
  queue?: string;
  'queue-timeout': number;
}

/** `--queue` and `--queue-timeout` for a command that submits jobs (the search). */
export function queueOptions<T>(y: Argv<T>): Argv<T & QueueArgs> {
  return y
    .option('queue', { type: 'string', describe: 'where training jobs run: local (default, this process) or redis://[:PASSWORD@]host:6379/0, rediss://… (TLS) with `cosearch worker` processes' })
    .option('queue-timeout', { type: 'number', default: 600, describe: 'seconds to wait while no worker is connected before failing with exit 75 (0 = forever)' }) as Argv<T & QueueArgs>;
}

export async function openQueueFromArgs(args: QueueArgs, env: ExecEnv = {}): Promise<JobQueue> {
  const t = args['queue-timeout'];
  if (!(t >= 0)) throw new UsageError(`--queue-timeout must be a number of seconds >= 0, got ${t}`);
  return openQueue(args.queue, env, { timeoutSec: t });
}
