/**
 * `cosearch synth PRJ --tool vitis|yosys [--timeout S]`: synthesize a generated project and write its
 * ResourceReport (PRJ/reports/<tool>.json). vitis: C synthesis with v++ / vitis-run / vitis_hls (src/synth/vitis.ts),
 * plus a warning line per loop whose achieved II is above the cost model's II=1;
 * yosys: the RTL twin (src/synth/yosys.ts, rtl area).
 */
import type { ResourceReport } from '../../core/report.js';
import { DEFAULT_TIMEOUT_MS } from '../../synth/run-tool.js';
import { duration } from '../progress.js';
import { COMMON, defineCommand } from '../options.js';

export function formatReportLine(r: ResourceReport): string {
  const p = r.performance;
  const f = (x: number | null, unit = ''): string => (x === null ? 'undef' : `${Number.isInteger(x) ? x : x.toFixed(1)}${unit}`);
  return (
    `${r.source.tool} ${r.source.version}: LUT ${r.total.lut}, FF ${r.total.ff}, BRAM18 ${r.total.bram18}, DSP ${r.total.dsp}, URAM ${r.total.uram}` +
    ` on ${r.part.name}; interval ${f(p.intervalCycles)} cycles, latency ${f(p.latencyCycles)} cycles, est. clock ${f(p.estimatedClockMHz, ' MHz')}`
  );
}

export const synthCommand = defineCommand({
  command: 'synth <prj>',
  describe: 'synthesize a generated project (vitis: C synthesis of the HLS project, with a warning for every loop not scheduled at the cost model\'s II=1; yosys: the RTL twin) into a resource report',
  options: {
    prj: { type: 'string', positional: true, demand: true, describe: 'project directory from `cosearch emit`' },
    tool: { type: 'string', choices: ['vitis', 'yosys'] as const, demand: true, describe: 'synthesis tool' },
    timeout: { ...COMMON.timeoutSeconds, defaultText: `vitis ${duration(DEFAULT_TIMEOUT_MS.vitis / 1000)}, yosys ${duration(DEFAULT_TIMEOUT_MS.yosys / 1000)}` },
    json: { ...COMMON.json, describe: 'print the ResourceReport as JSON' },
  },
  handler: async (a) => {
    const timeoutMs = a.timeout !== undefined ? a.timeout * 1000 : undefined;
    if (a.tool === 'vitis') {
      const { synthVitis, vitisReportPath } = await import('../../synth/vitis.js');
      const r = await synthVitis(a.prj, { timeoutMs });
      // loops that do not run at the II the cost model assumed: one warning line each (the report's `loops` has them all)
      const { loopWarnings } = await import('../../synth/csynth-parse.js');
      for (const w of loopWarnings(r.loops ?? [])) process.stderr.write(`warning: ${w}\n`);
      if (a.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else process.stdout.write(`${formatReportLine(r)}\nreport: ${vitisReportPath(a.prj)}\n`);
      return;
    }
    // --tool yosys: the RTL twin (rtl area, src/synth/yosys.ts); report at PRJ/reports/yosys.json
    const { synthYosysRun } = await import('../../synth/yosys.js');
    const { join } = await import('node:path');
    const y = await synthYosysRun(a.prj, { timeoutMs, out: join(a.prj, 'reports', 'yosys.json') });
    if (a.json) process.stdout.write(JSON.stringify(y.report, null, 2) + '\n');
    else process.stdout.write(`${formatReportLine(y.report)}\nyosys wall time ${y.wallSeconds.toFixed(1)} s; report: ${y.reportFile}\n`);
  },
});
