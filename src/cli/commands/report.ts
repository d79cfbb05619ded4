/**
 * `cosearch report diff BASE NEW [--tolerance 0.02] [--abs-tolerance N] [--format text|json|markdown]
 * [--annotations github]`: per-layer and total table of two resource reports; exit 1 when total LUT, BRAM18 or
 * DSP grows beyond both tolerances or fps drops beyond the relative one.
 * BASE and NEW may be any report this tool writes: a resource report (`estimate --json`, `synth`, a search's
 * best/synth-<tool>.json), a search's report.json (its winner's estimate), a run directory (its report.json) or
 * an emitted project directory (its reports/<tool>.json).
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CheckFailedError, DataError, NoInputError } from '../../errors.js';
import { readJsonFile } from '../../io.js';
import { validateWithSchema } from '../../config.js';
import { diffReports, formatDiff, formatDiffAnnotations, formatDiffMarkdown, DEFAULT_TOLERANCE } from '../../core/report-diff.js';
import type { ResourceReport } from '../../core/report.js';
import { COMMON, defineCommand } from '../options.js';

const ACCEPTED = 'a resource report (estimate --json, synth), a search report.json, a run directory or an emitted project directory';

/** The reports in a directory that report diff can read, most specific first. */
function reportsInDir(dir: string): string[] {
  return [join(dir, 'report.json'), join(dir, 'reports', 'vitis.json'), join(dir, 'reports', 'yosys.json')].filter((f) => existsSync(f));
}

/** Read any report this tool writes as a ResourceReport; `what` says which part of the file was used. */
export function readReport(path: string): { report: ResourceReport; file: string; what: string } {
  let file = resolve(path);
  if (!existsSync(file)) throw new NoInputError(`report not found: ${path}`);
  if (statSync(file).isDirectory()) {
    const found = reportsInDir(file);
    if (found.length === 0) throw new NoInputError(`${path} holds no report (looked for report.json, reports/vitis.json, reports/yosys.json)`, `give ${ACCEPTED}`);
    if (found.length > 1 && !found[0]!.endsWith('report.json')) throw new DataError(`${path} holds ${found.length} reports (${found.map((f) => f.slice(file.length + 1)).join(', ')})`, { hint: 'name the file to compare' });
    file = found[0]!;
  }
  const v = readJsonFile(file, 'report') as Record<string, unknown>;
  const format = typeof v === 'object' && v !== null ? v.format : undefined;
  if (format === 'cosearch-search-report') {
    return { report: validateWithSchema<ResourceReport>('report', v.estimate, file, '/estimate'), file, what: "the search winner's estimate (/estimate)" };
  }
  if (typeof format === 'string' && format.startsWith('cosearch-') && format !== 'cosearch-resource-report')
    throw new DataError(`this is a ${format} file, not a report`, { file, jsonPath: '/format', hint: `report diff compares ${ACCEPTED}` });
  const report = validateWithSchema<ResourceReport>('report', v, file);
  return { report, file, what: `${report.source.tool} report` };
}

const diffCommand = defineCommand({
  command: 'diff <base> <next>',
  describe: 'compare two resource reports; exit 1 on LUT/BRAM/DSP growth or fps drop beyond the tolerance',
  options: {
    base: { type: 'string', positional: true, demand: true, describe: `baseline: ${ACCEPTED}` },
    next: { type: 'string', positional: true, demand: true, describe: 'new report (same kinds)' },
    tolerance: { type: 'number', min: 0, max: 10, default: DEFAULT_TOLERANCE, describe: 'allowed relative growth (0.02 = 2%) of total LUT, BRAM18, DSP and drop of fps' },
    'abs-tolerance': { type: 'number', min: 0, default: 0, describe: 'allowed absolute growth of total LUT, BRAM18 and DSP (a regression must exceed both tolerances)' },
    format: { type: 'string', choices: ['text', 'json', 'markdown'] as const, default: 'text', describe: 'output: text table, JSON, or Markdown (pull-request comment)' },
    annotations: { type: 'string', choices: ['none', 'github'] as const, default: 'none', describe: 'also print CI annotations on stderr (github: ::error / ::warning workflow commands)' },
    json: { ...COMMON.json, describe: 'the same as --format json' },
  },
  handler: (a) => {
    const base = readReport(a.base);
    const next = readReport(a.next);
    const d = diffReports(base.report, next.report, { tolerance: a.tolerance, absTolerance: a.absTolerance });
    const titles = { base: a.base, next: a.next };
    const format = a.json ? 'json' : a.format;
    for (const w of d.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(format === 'json' ? JSON.stringify({ base: { file: base.file, used: base.what }, next: { file: next.file, used: next.what }, ...d }, null, 2) + '\n' : format === 'markdown' ? formatDiffMarkdown(d, titles) : formatDiff(d, titles));
    if (a.annotations === 'github') process.stderr.write(formatDiffAnnotations(d, a.next));
    if (d.regressions.length) throw new CheckFailedError(`${d.regressions.length} regression(s): ${d.regressions.join('; ')}`);
  },
});

export const reportCommand = defineCommand({
  command: 'report <command>',
  describe: 'work with resource reports (diff)',
  options: {},
  build: (y) => y.command(diffCommand).demandCommand(1, 'name a report subcommand: diff'),
  handler: () => undefined,
});

export { diffCommand };
