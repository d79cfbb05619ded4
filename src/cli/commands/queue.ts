/** `cosearch queue status --queue URL [--json]`: jobs per state, workers alive, per-job durations. */
import type { CommandModule } from 'yargs';

interface QueueStatusArgs {
  queue: string;
  json: boolean;
  limit: number;
}

const statusCommand: CommandModule<object, QueueStatusArgs> = {
  command: 'status',
  describe: 'jobs waiting/active/done/failed, workers alive and recent jobs with their durations',
  builder: (y) =>
    y
      .option('queue', { type: 'string', demandOption: true, describe: 'redis://[:PASSWORD@]host:6379/0 or rediss://… (the password is never printed)' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' })
      .option('limit', { type: 'number', default: 20, describe: 'jobs listed per state' }) as never,
  handler: async (args) => {
    const { queueStatus, formatStatus } = await import('../../dist/status.js');
    const s = await queueStatus(args.queue, { limit: args.limit });
    process.stdout.write(args.json ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s));
  },
};

export const queueCommand: CommandModule = {
  command: 'queue',
  describe: 'inspect a Redis job queue (`cosearch queue status --queue URL`)',
  builder: (y) => y.command(statusCommand).demandCommand(1, 'name an action: status') as never,
  handler: () => undefined,
};
