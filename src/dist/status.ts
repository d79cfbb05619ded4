/** `cosearch queue status`: what a Redis queue holds (jobs per state, workers connected, recent jobs' durations). */
import { Queue, type Job } from 'bullmq';
import type { DistJob } from './jobs.js';
import { KEY_PREFIX, QUEUE_NAME, workerConcurrency } from './redis-queue.js';
import { connectionOptions, parseRedisUrl, whenReady } from './url.js';

export interface JobRow {
  id: string;
  key: string;
  state: string;
  worker?: string;
  attempts: number;
  /** seconds between being added and first started */
  waitSeconds?: number;
  /** seconds running (finished jobs: until they finished; active ones: until now) */
  runSeconds?: number;
  failedReason?: string;
}

export interface QueueStatus {
  queue: string;
  counts: { waiting: number; active: number; delayed: number; completed: number; failed: number };
  workers: Array<{ name: string; slots: number; addr: string; ageSeconds: number; idleSeconds: number }>;
  jobs: JobRow[];
}

function row(j: Job, state: string, now: number): JobRow {
  const started = j.processedOn;
  const end = j.finishedOn ?? (state === 'active' ? now : undefined);
  return {
    id: j.id!,
    key: (j.data as DistJob).key,
    state,
    ...(j.processedBy ? { worker: j.processedBy } : {}),
    attempts: j.attemptsMade,
    ...(started ? { waitSeconds: (started - j.timestamp) / 1000 } : {}),
    ...(started && end ? { runSeconds: (end - started) / 1000 } : {}),
    ...(j.failedReason ? { failedReason: j.failedReason.split('\n')[0] } : {}),
  };
}

/** Read the queue's state (exit 75 when Redis does not answer within `timeoutSec`). */
export async function queueStatus(url: string, opts: { limit?: number; timeoutSec?: number } = {}): Promise<QueueStatus> {
  const target = parseRedisUrl(url);
  const q = new Queue(QUEUE_NAME, { connection: connectionOptions(target), prefix: KEY_PREFIX, skipMetasUpdate: true });
  try {
    await whenReady(target, [q], (opts.timeoutSec ?? 10) * 1000);
    const read = async (): Promise<QueueStatus> => {
      const c = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
      const now = Date.now();
      const clients = await q.getWorkers();
      const limit = opts.limit ?? 20;
      const jobs: JobRow[] = [];
      for (const state of ['active', 'waiting', 'delayed', 'failed', 'completed'] as const) {
        for (const j of await q.getJobs([state], 0, limit - 1)) if (j) jobs.push(row(j, state, now));
      }
      return {
        queue: target.masked,
        counts: { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0 },
        workers: clients.map((w) => {
          const raw = String((w as { rawname?: string }).rawname ?? '');
          return { name: raw.replace(/^.*?:w:/, ''), slots: workerConcurrency(raw), addr: String(w.addr ?? ''), ageSeconds: Number(w.age ?? 0), idleSeconds: Number(w.idle ?? 0) };
        }),
        jobs,
      };
    };
    return await read();
  } finally {
    await q.close().catch(() => undefined);
  }
}

export function formatStatus(s: QueueStatus): string {
  const c = s.counts;
  const lines = [
    `queue ${s.queue}: ${c.waiting} waiting, ${c.active} active, ${c.delayed} delayed (retry backoff), ${c.completed} done, ${c.failed} failed`,
    `workers alive: ${s.workers.length}${s.workers.map((w) => `\n  ${w.name} (${w.addr}, connected ${w.ageSeconds} s)`).join('')}`,
  ];
  if (s.jobs.length) {
    lines.push('jobs (newest per state; wait = queued before start, run = running time):');
    const f = (x?: number): string => (x === undefined ? '-' : `${x.toFixed(1)} s`);
    for (const j of s.jobs)
      lines.push(`  ${j.state.padEnd(9)} ${j.id} ${j.key}  wait ${f(j.waitSeconds)}  run ${f(j.runSeconds)}  attempts ${j.attempts}${j.worker ? `  on ${j.worker}` : ''}${j.failedReason ? `  (${j.failedReason})` : ''}`);
  }
  return lines.join('\n') + '\n';
}
