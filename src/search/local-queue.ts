/**
 * The default job queue: this process runs the jobs one after another (each job uses `threads` cores for its
 * data-parallel steps, so running two at once on one machine would only slow both). No Redis needed.
 */
import type { JobProgress, JobQueue, TrainJob, TrainJobResult } from './jobs.js';
import { executeTrainJob, type ExecEnv } from './execute.js';

export class LocalQueue implements JobQueue {
  readonly name = 'local';
  readonly capacity = 1;
  private chain: Promise<unknown> = Promise.resolve();
  constructor(private readonly env: ExecEnv = {}) {}

  run(job: TrainJob, onProgress?: (p: JobProgress) => void): Promise<TrainJobResult> {
    const p = this.chain.then(() => executeTrainJob(job, this.env, onProgress));
    this.chain = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    await this.chain;
  }
}
