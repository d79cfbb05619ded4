/**
 * `cosearch report diff BASE.json NEW.json [--tolerance 0.02] [--json]`: per-layer and total table of two
 * ResourceReports; exit 1 when total LUT, BRAM18 or DSP grows beyond the tolerance or fps drops beyond it.
 */
import type { CommandModule } from 'yargs';
import { resolve } from 'node:path';
import { CheckFailedError, UsageError } from '../../errors.js';
import { readJsonFile } from '../../io.js';
import { validateWithSchema } from '../../config.js';
import { diffReports, formatDiff, DEFAULT_TOLERANCE } from '../../core/report-diff.js';
import type { ResourceReport } from '../../core/report.js';

interface DiffArgs {
  base: string;
  next: string;
  tolerance: number;
  json: boolean;
}

export function readReport(file: string): ResourceReport {
  const v = readJsonFile(resolve(file), 'resource report');
  validateWithSchema('report', v, file);
  return v as ResourceReport;
}

const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <base> <next>',
  describe: 'compare two resource reports; exit 1 on LUT/BRAM/DSP growth or fps drop beyond the tolerance',
  builder: (y) =>
    y
      .positional('base', { type: 'string', demandOption: true, describe: 'baseline report (JSON)' })
      .positional('next', { type: 'string', demandOption: true, describe: 'new report (JSON)' })
      .option('tolerance', { type: 'number', default: DEFAULT_TOLERANCE, describe: 'allowed relative growth (0.02 = 2%)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the diff as JSON' }),
  handler: (a) => {
    if (!(a.tolerance >= 0) || a.tolerance > 10) throw new UsageError(`--tolerance must be a number in [0, 10], got ${a.tolerance}`);
    const d = diffReports(readReport(a.base), readReport(a.next), { tolerance: a.tolerance });
    process.stdout.write(a.json ? JSON.stringify(d, null, 2) + '\n' : formatDiff(d, { base: a.base, next: a.next }));
    if (d.regressions.length) throw new CheckFailedError(`${d.regressions.length} regression(s): ${d.regressions.join('; ')}`);
  },
};

export const reportCommand: CommandModule = {
  command: 'report <command>',
  describe: 'work with resource reports (diff)',
  builder: (y) => y.command(diffCommand).demandCommand(1, 'name a report subcommand: diff'),
  handler: () => undefined,
};
