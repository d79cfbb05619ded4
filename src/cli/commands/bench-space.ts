/**
 * `cosearch bench-space --n N --out TABLE.jsonl [--space S] [--dataset D] [--data DIR] [--seed S]`: train N
 * sampled candidates of a search space with the fixed short schedule and append one row per candidate to a
 * resumable JSONL table (ground truth for `cosearch predictor train`). `--keys K1,K2|@FILE` trains the named
 * candidates instead (one key per line in FILE), e.g. where a search's favourites are.
 */
import { readFileSync } from 'node:fs';
import { genomeIssues, type Genome, type SearchSpace } from '../../core/space.js';
import { NoInputError, UsageError } from '../../errors.js';
import { parseGenomeKey } from '../../search/key.js';
import { DATASET_NAMES, type DatasetName } from '../../ml/datasets.js';
import { checkSpaceForDataset, defaultSpaceName, loadSpace } from '../../run/space-file.js';
import { COMMON, defineCommand } from '../options.js';
import { elapsedEta } from '../progress.js';

export const benchSpaceCommand = defineCommand({
  command: 'bench-space',
  describe: 'train N sampled candidates with a fixed short schedule; append rows to a resumable JSONL table',
  options: {
    n: { type: 'integer', min: 1, describe: 'number of sampled candidates in the table (rows already present are skipped); required without --keys' },
    keys: { type: 'string', describe: 'train these candidates instead of sampling: comma-separated keys, or @FILE with one key per line' },
    out: { type: 'string', demand: true, describe: 'JSONL table (created or continued)' },
    space: { type: 'string', describe: 'search space name or file', defaultText: 'default-HxWxC of the dataset' },
    dataset: { type: 'string', choices: DATASET_NAMES as readonly DatasetName[], default: 'fashion-mnist', describe: 'dataset' },
    data: COMMON.dataDir,
    seed: { ...COMMON.seed, default: 1, describe: 'seed of the candidate sequence' },
    epochs: { type: 'integer', min: 1, describe: 'override the schedule: epochs (a different schedule needs a new table)' },
    'train-limit': { type: 'integer', min: 1, describe: 'override the schedule: training images' },
    'test-limit': { type: 'integer', min: 1, describe: 'override the schedule: test images' },
    'eval-on': { type: 'string', choices: ['test', 'validation'] as const, default: 'test', describe: 'measure on the first --test-limit test images, or on the last --test-limit training images (disjoint from the --train-limit trained on; as the search\'s rungs are)' },
    'train-seed': { type: 'integer', min: 0, describe: 'override the schedule: the training seed (replicates of a table at another seed measure seed-to-seed noise)' },
    'max-macs': { type: 'number', above: 0, describe: 'sample only candidates with at most this many MACs per image' },
    json: { ...COMMON.json, describe: 'print {added, total, out} as JSON' },
  },
  handler: async (a) => {
    const { space, file } = loadSpace(a.space ?? defaultSpaceName(a.dataset));
    checkSpaceForDataset(space, file, a.dataset);
    if (a.n === undefined && a.keys === undefined) throw new UsageError('bench-space needs --n N (sampled candidates) or --keys (named ones)', 'e.g. --n 200, or --keys "c32k3spw4a4-c64k3spw4a4|d128w4a4|o8"');
    const genomes = a.keys === undefined ? undefined : keyList(a.keys, space);
    const { benchSpace, BENCH_SCHEDULE } = await import('../../run/table.js');
    const schedule = { ...BENCH_SCHEDULE, ...(a.epochs ? { epochs: a.epochs } : {}), ...(a.trainLimit ? { trainLimit: a.trainLimit } : {}), ...(a.testLimit ? { testLimit: a.testLimit } : {}), ...(a.trainSeed !== undefined ? { seed: a.trainSeed } : {}), ...(a.evalOn === 'validation' ? { evalOn: 'validation' as const } : {}) };
    const t0 = Date.now();
    let first = 0; // rows present before this run (the ETA counts only the rows this run adds)
    const res = await benchSpace({
      space, dataset: a.dataset, dataDir: a.data, n: a.n ?? genomes!.length, out: a.out, seed: a.seed, schedule, maxMacs: a.maxMacs, genomes,
      onStart: ({ total, done }) => {
        first = done;
        process.stderr.write(`bench-space: ${space.name} on ${a.dataset}, ${total} candidates, ${done} already in ${a.out}; schedule ${JSON.stringify(schedule)}\n`);
      },
      onRow: (r, done, total) => process.stderr.write(`[${done}/${total}] ${r.key} acc ${(r.acc * 100).toFixed(2)}% train ${r.trainSeconds.toFixed(1)} s proxies ${r.proxySeconds.toFixed(2)} s; ${elapsedEta(t0, (done - first) / Math.max(1, total - first))}\n`),
    });
    if (a.json) process.stdout.write(JSON.stringify({ out: a.out, added: res.added, total: res.total, seconds: (Date.now() - t0) / 1000 }, null, 2) + '\n');
    process.stderr.write(`bench-space: added ${res.added} rows (${res.total} in the table) in ${((Date.now() - t0) / 1000).toFixed(0)} s${res.added ? `, ${((Date.now() - t0) / 1000 / res.added).toFixed(1)} s per candidate` : ''}\n`);
  },
});

/** --keys: comma-separated candidate keys or @FILE (one per line, # comments); each must be a genome of the space. */
function keyList(arg: string, space: SearchSpace): Genome[] {
  let text = arg;
  let where = '--keys';
  if (arg.startsWith('@')) {
    where = arg.slice(1);
    try {
      text = readFileSync(where, 'utf8');
    } catch {
      throw new NoInputError(`--keys ${arg}: cannot read ${where}`, 'name a file with one candidate key per line');
    }
  }
  const keys = text.split(arg.startsWith('@') ? /\r?\n/ : ',').map((k) => k.replace(/#.*$/, '').trim()).filter(Boolean);
  if (keys.length === 0) throw new UsageError(`--keys ${arg}: no candidate keys`, 'give at least one key, e.g. c32k3spw4a4-c64k3spw4a4|d128w4a4|o8');
  return [...new Set(keys)].map((k, i) => {
    const g = parseGenomeKey(k);
    const issues = genomeIssues(g, space);
    if (issues.length) throw new UsageError(`${where}: key ${i + 1} (${k}) is not in the space ${space.name}: ${issues.join('; ')}`, 'use keys of candidates of that space (cosearch prints them), or --space');
    return g;
  });
}
