/**
 * `cosearch predictor train TABLE.jsonl --out predictor.json [--folds 5] [--seed S]`: fit the accuracy predictor
 * (screen model without proxies, full model with proxies) and report Kendall tau of k-fold cross-validation
 * (every row predicted by a model that did not see it).
 */
import type { CommandModule } from 'yargs';
import { DataError, UsageError } from '../../errors.js';
import { writeJsonAtomic } from '../../io.js';
import { loadSpace } from '../../run/space-file.js';

interface Args {
  action: string;
  table: string;
  out: string;
  folds: number;
  seed: number;
  space?: string;
  steps?: number;
}

export const predictorCommand: CommandModule<object, Args> = {
  command: 'predictor <action> <table>',
  describe: 'train the accuracy predictor on a bench-space table (action: train); prints Kendall tau of k-fold cross-validation',
  builder: (y) =>
    y
      .positional('action', { choices: ['train'], describe: 'train' })
      .positional('table', { type: 'string', demandOption: true, describe: 'JSONL table from `cosearch bench-space`' })
      .option('out', { type: 'string', demandOption: true, describe: 'predictor JSON to write' })
      .option('folds', { type: 'number', default: 5, describe: 'cross-validation folds for Kendall tau (each row is held out once)' })
      .option('seed', { type: 'number', default: 1 })
      .option('space', { type: 'string', describe: 'space (default: the one named in the table)' })
      .option('steps', { type: 'number', describe: 'Adam steps per ensemble member (default 800)' }) as never,
  handler: async (a) => {
    if (!Number.isInteger(a.folds) || a.folds < 2) throw new UsageError(`--folds must be an integer >= 2 (got ${a.folds})`);
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
    process.stdout.write(
      `predictor: ${rows.length} rows; Kendall tau (${r.folds}-fold cross-validation, out-of-fold predictions of all rows): screen ${r.tauScreen.toFixed(3)}` +
        `${r.tauFull !== null ? `, full (with proxies) ${r.tauFull.toFixed(3)}` : ''}; trained in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${a.out}\n`,
    );
  },
};
