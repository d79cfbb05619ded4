/**
 * `cosearch predictor train TABLE.jsonl --out predictor.json [--folds 5] [--seed S]`: fit the accuracy predictor
 * (screen model without proxies, full model with proxies) and report Kendall tau of k-fold cross-validation
 * (every row predicted by a model that did not see it).
 */
import { DataError, UsageError } from '../../errors.js';
import { writeJsonAtomic } from '../../io.js';
import { loadSpace } from '../../run/space-file.js';
import { COMMON, defineCommand } from '../options.js';

export const predictorCommand = defineCommand({
  command: 'predictor <action> <table>',
  describe: 'train the accuracy predictor on a bench-space table (action: train); prints Kendall tau of k-fold cross-validation',
  options: {
    action: { type: 'string', positional: true, choices: ['train'] as const, demand: true, describe: 'train' },
    table: { type: 'string', positional: true, demand: true, describe: 'JSONL table from `cosearch bench-space`' },
    out: { type: 'string', demand: true, describe: 'predictor JSON to write' },
    folds: { type: 'integer', min: 2, default: 5, describe: 'cross-validation folds for Kendall tau (each row is held out once)' },
    seed: { ...COMMON.seed, default: 1, describe: 'random seed (ensemble initialisation, fold assignment)' },
    space: { type: 'string', describe: 'search space name or file', defaultText: 'the one named in the table' },
    steps: { type: 'integer', min: 1, describe: 'Adam steps per ensemble member', libDefault: 800 },
    json: { ...COMMON.json, describe: 'print {rows, folds, tauScreen, tauFull, out} as JSON' },
  },
  handler: async (a) => {
    const { readTable } = await import('../../run/table.js');
    const rows = readTable(a.table);
    if (rows.length < 10) throw new DataError(`only ${rows.length} rows; need at least 10`, { file: a.table, hint: 'add rows with `cosearch bench-space --n N --out TABLE`' });
    const { space } = loadSpace(a.space ?? rows[0]!.space);
    const { initBackend } = await import('../../ml/backend.js');
    await initBackend('auto');
    const { trainPredictor } = await import('../../ml/predictor.js');
    const t0 = Date.now();
    if (a.folds > rows.length) throw new UsageError(`--folds ${a.folds} is more than the ${rows.length} rows of ${a.table}`);
    const r = trainPredictor(rows, space, {
      seed: a.seed, folds: a.folds, dataset: rows[0]!.dataset, schedule: rows[0]!.schedule, steps: a.steps,
      onFold: (f, n) => process.stderr.write(`predictor: cross-validation fold ${f + 1}/${n}\n`),
    });
    writeJsonAtomic(a.out, r.file);
    if (a.json) return void process.stdout.write(JSON.stringify({ rows: rows.length, folds: r.folds, tauScreen: r.tauScreen, tauFull: r.tauFull, seconds: (Date.now() - t0) / 1000, out: a.out }, null, 2) + '\n');
    process.stdout.write(
      `predictor: ${rows.length} rows; Kendall tau (${r.folds}-fold cross-validation, out-of-fold predictions of all rows): screen ${r.tauScreen.toFixed(3)}` +
        `${r.tauFull !== null ? `, full (with proxies) ${r.tauFull.toFixed(3)}` : ''}; trained in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${a.out}\n`,
    );
  },
});
