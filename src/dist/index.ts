/**
 * Where the search's jobs run: `openQueue(spec)` gives the local queue (no spec, or `local`) or a RedisQueue
 * (`redis://…`, `rediss://…`). The coordinator's command wires `--queue` and `--queue-timeout` with
 * `QUEUE_OPTIONS` and `openQueueFromArgs(args, env)`.
 */
import { UsageError } from '../errors.js';
import type { ExecEnv } from '../search/execute.js';
import type { JobQueue } from '../search/jobs.js';
import { LocalQueue } from '../search/local-queue.js';
import type { RedisQueueOptions } from './redis-queue.js';
import { maskUrl } from './url.js';

export { maskUrl } from './url.js';

/** The queue a spec names: undefined or `local` → LocalQueue(env); `redis://` / `rediss://` → RedisQueue (workers bring their own data). */
export async function openQueue(spec: string | undefined, env: ExecEnv = {}, opts: RedisQueueOptions = {}): Promise<JobQueue> {
  if (spec === undefined || spec === '' || spec === 'local') return new LocalQueue(env);
  // BullMQ is loaded only when a Redis queue is asked for (this module is imported by the CLI's option table)
  if (/^rediss?:\/\//i.test(spec)) return (await import('./redis-queue.js')).RedisQueue.open(spec, opts);
  throw new UsageError(`--queue ${maskUrl(spec)}: expected local, redis://host:port/db or rediss://…`, 'e.g. --queue redis://127.0.0.1:6379/0 (start workers there with `cosearch worker --queue URL`)');
}

/**
 * The coordinator's option rows (src/cli/options.ts OptSpec shape) for a command's option table: the handler opens
 * the queue with `openQueueFromArgs(args)` and passes it (and its `name`, password masked) to search().
 */
export const QUEUE_OPTIONS = {
  queue: { type: 'string', local: true, resume: 'free', describe: 'where training jobs run: local (this process) or redis://[:PASSWORD@]host:6379/0, rediss://… (TLS) with `cosearch worker` processes [default: local]' },
  'queue-timeout': { type: 'number', min: 0, default: 600, unit: 'seconds', local: true, resume: 'free', describe: 'seconds to wait while no worker is connected before failing with exit 75 (0 = forever)' },
} as const;

export async function openQueueFromArgs(args: { queue?: string; queueTimeout?: number }, env: ExecEnv = {}): Promise<JobQueue> {
  return openQueue(args.queue, env, { timeoutSec: args.queueTimeout ?? 600 });
}
