/**
 * `cosearch bench-space --n N --out TABLE.jsonl [--space S] [--dataset D] [--data DIR] [--seed S]`: train N
 * sampled candidates of a search space with the fixed short schedule and append one row per candidate to a
 * resumable JSONL table (ground truth for `cosearch predictor train`).
 */
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { DATASET_NAMES, type DatasetName } from '../../ml/datasets.js';
import { checkSpaceForDataset, defaultSpaceName, loadSpace } from '../../run/space-file.js';

interface Args {
  n: number;
  out: string;
  space?: string;
  dataset: DatasetName;
  data?: string;
  seed: number;
  epochs?: number;
  'train-limit'?: number;
  'test-limit'?: number;
  'max-macs'?: number;
}

export const benchSpaceCommand: CommandModule<object, Args> = {
  command: 'bench-space',
  describe: 'train N sampled candidates with a fixed short schedule; append rows to a resumable JSONL table',
  builder: (y) =>
    y
      .option('n', { type: 'number', demandOption: true, describe: 'number of candidates in the table (rows already present are skipped)' })
      .option('out', { type: 'string', demandOption: true, describe: 'JSONL table (created or continued)' })
      .option('space', { type: 'string', describe: 'search space name or file (default: default-HxWxC of the dataset)' })
      .option('dataset', { choices: DATASET_NAMES as DatasetName[], default: 'fashion-mnist' as DatasetName })
      .option('data', { type: 'string', describe: 'dataset directory' })
      .option('seed', { type: 'number', default: 1, describe: 'seed of the candidate sequence' })
      .option('epochs', { type: 'number', describe: 'override the schedule: epochs (a different schedule needs a new table)' })
      .option('train-limit', { type: 'number', describe: 'override the schedule: training images' })
      .option('test-limit', { type: 'number', describe: 'override the schedule: test images' })
      .option('max-macs', { type: 'number', describe: 'sample only candidates with at most this many MACs per image' }) as never,
  handler: async (a) => {
    if (!Number.isInteger(a.n) || a.n < 1) throw new UsageError(`--n must be a positive integer (got ${a.n})`);
    const { space, file } = loadSpace(a.space ?? defaultSpaceName(a.dataset));
    checkSpaceForDataset(space, file, a.dataset);
    const { benchSpace, BENCH_SCHEDULE } = await import('../../run/table.js');
    const schedule = { ...BENCH_SCHEDULE, ...(a.epochs ? { epochs: a.epochs } : {}), ...(a['train-limit'] ? { trainLimit: a['train-limit'] } : {}), ...(a['test-limit'] ? { testLimit: a['test-limit'] } : {}) };
    const t0 = Date.now();
    const res = await benchSpace({
      space, dataset: a.dataset, dataDir: a.data, n: a.n, out: a.out, seed: a.seed, schedule, maxMacs: a['max-macs'],
      onStart: ({ total, done }) => process.stderr.write(`bench-space: ${space.name} on ${a.dataset}, ${total} candidates, ${done} already in ${a.out}; schedule ${JSON.stringify(schedule)}\n`),
      onRow: (r, done, total) => process.stderr.write(`[${done}/${total}] ${r.key} acc ${(r.acc * 100).toFixed(2)}% train ${r.trainSeconds.toFixed(1)} s proxies ${r.proxySeconds.toFixed(2)} s\n`),
    });
    process.stderr.write(`bench-space: added ${res.added} rows (${res.total} in the table) in ${((Date.now() - t0) / 1000).toFixed(0)} s${res.added ? `, ${((Date.now() - t0) / 1000 / res.added).toFixed(1)} s per candidate` : ''}\n`);
  },
};
