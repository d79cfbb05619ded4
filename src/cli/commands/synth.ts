/**
 * `cosearch synth PRJ --tool vitis|yosys [--timeout S]`: synthesize a generated project and write its
 * ResourceReport (PRJ/reports/<tool>.json). vitis: C synthesis with v++ / vitis-run / vitis_hls (src/synth/vitis.ts);
 * yosys: the RTL twin (src/synth/yosys.ts, rtl area).
 */
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import type { ResourceReport } from '../../core/report.js';

interface SynthArgs {
  prj: string;
  tool: 'vitis' | 'yosys';
  timeout?: number;
}

export function formatReportLine(r: ResourceReport): string {
  const p = r.performance;
  const f = (x: number | null, unit = ''): string => (x === null ? 'undef' : `${Number.isInteger(x) ? x : x.toFixed(1)}${unit}`);
  return (
    `${r.source.tool} ${r.source.version}: LUT ${r.total.lut}, FF ${r.total.ff}, BRAM18 ${r.total.bram18}, DSP ${r.total.dsp}, URAM ${r.total.uram}` +
    ` on ${r.part.name}; interval ${f(p.intervalCycles)} cycles, latency ${f(p.latencyCycles)} cycles, est. clock ${f(p.estimatedClockMHz, ' MHz')}`
  );
}

export const synthCommand: CommandModule<object, SynthArgs> = {
  command: 'synth <prj>',
  describe: 'synthesize a generated project (vitis: C synthesis of the HLS project) into a resource report',
  builder: (y) =>
    y
      .positional('prj', { type: 'string', demandOption: true, describe: 'project directory from `cosearch emit`' })
      .option('tool', { choices: ['vitis', 'yosys'] as const, demandOption: true, describe: 'synthesis tool' })
      .option('timeout', { type: 'number', describe: 'wall-clock limit in seconds (the process group is killed); default 4 h' }),
  handler: async (a) => {
    if (a.timeout !== undefined && !(a.timeout > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got ${a.timeout}`);
    const timeoutMs = a.timeout !== undefined ? a.timeout * 1000 : undefined;
    if (a.tool === 'vitis') {
      const { synthVitis, vitisReportPath } = await import('../../synth/vitis.js');
      const r = await synthVitis(a.prj, { timeoutMs });
      process.stdout.write(`${formatReportLine(r)}\nreport: ${vitisReportPath(a.prj)}\n`);
      return;
    }
    // --tool yosys: the RTL twin (rtl area, src/synth/yosys.ts); report at PRJ/reports/yosys.json
    const { synthYosysRun } = await import('../../synth/yosys.js');
    const { join } = await import('node:path');
    const y = await synthYosysRun(a.prj, { timeoutMs, out: join(a.prj, 'reports', 'yosys.json') });
    process.stdout.write(`${formatReportLine(y.report)}\nyosys wall time ${y.wallSeconds.toFixed(1)} s; report: ${y.reportFile}\n`);
  },
};
