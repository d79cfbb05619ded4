/** `cosearch queue status --queue URL [--json]`: jobs waiting/active/done/failed, workers alive, per-job durations. */
import { COMMON, defineCommand } from '../options.js';

export const queueStatusCommand = defineCommand({
  command: 'status',
  describe: 'jobs waiting/active/done/failed, workers alive and recent jobs with their durations',
  options: {
    queue: { type: 'string', demand: true, describe: 'redis://[:PASSWORD@]host:6379/0 or rediss://… (the password is never printed)' },
    limit: { type: 'integer', min: 1, default: 20, describe: 'jobs listed per state' },
    json: { ...COMMON.json, describe: 'print the status as JSON' },
  },
  handler: async (a) => {
    const { queueStatus, formatStatus } = await import('../../dist/status.js');
    const s = await queueStatus(a.queue, { limit: a.limit });
    process.stdout.write(a.json ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s));
  },
});

export const queueCommand = defineCommand({
  command: 'queue <command>',
  describe: 'inspect a Redis job queue (status)',
  options: {},
  build: (y) => y.command(queueStatusCommand).demandCommand(1, 'name a queue subcommand: status'),
  handler: () => undefined,
});
