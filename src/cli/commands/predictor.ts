/**
 * `cosearch predictor train TABLE.jsonl --out predictor.json [--held-out 0.2] [--seed S]`: fit the accuracy
 * predictor (screen model without proxies, full model with proxies) and report Kendall tau on held-out rows.
 */
import type { CommandModule } from 'yargs';
import { DataError, UsageError } from '../../errors.js';
import { writeJsonAtomic } from '../../io.js';
import { loadSpace } from '../../run/space-file.js';

interface Args {
  action: string;
  table: string;
  out: string;
  'held-out': number;
  seed: number;
  space?: string;
  steps?: number;
}

export const predictorCommand: CommandModule<object, Args> = {
  command: 'predictor <action> <table>',
  describe: 'train the accuracy predictor on a bench-space table (action: train); prints Kendall tau on held-out rows',
  builder: (y) =>
    y
      .positional('action', { choices: ['train'], describe: 'train' })
      .positional('table', { type: 'string', demandOption: true, describe: 'JSONL table from `cosearch bench-space`' })
      .option('out', { type: 'string', demandOption: true, describe: 'predictor JSON to write' })
      .option('held-out', { type: 'number', default: 0.2, describe: 'fraction of rows held out for Kendall tau' })
      .option('seed', { type: 'number', default: 1 })
      .option('space', { type: 'string', describe: 'space (default: the one named in the table)' })
      .option('steps', { type: 'number', describe: 'Adam steps per ensemble member (default 800)' }) as never,
  handler: async (a) => {
    if (!(a['held-out'] > 0 && a['held-out'] < 1)) throw new UsageError(`--held-out must be in (0, 1) (got ${a['held-out']})`);
    const { readTable } = await import('../../run/table.js');
    const rows = readTable(a.table);
    if (rows.length < 10) throw new DataError(`only ${rows.length} rows; need at least 10`, { file: a.table, hint: 'add rows with `cosearch bench-space --n N --out TABLE`' });
    const { space } = loadSpace(a.space ?? rows[0]!.space);
    const { initBackend } = await import('../../ml/backend.js');
    await initBackend('auto');
    const { trainPredictor } = await import('../../ml/predictor.js');
    const t0 = Date.now();
    const r = trainPredictor(rows, space, { seed: a.seed, heldOutFraction: a['held-out'], dataset: rows[0]!.dataset, schedule: rows[0]!.schedule, steps: a.steps });
    writeJsonAtomic(a.out, r.file);
    process.stdout.write(
      `predictor: ${rows.length} rows, ${r.heldOut} held out; Kendall tau (held out): screen ${r.tauScreen.toFixed(3)}` +
        `${r.tauFull !== null ? `, full (with proxies) ${r.tauFull.toFixed(3)}` : ''}; trained in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${a.out}\n`,
    );
  },
};
