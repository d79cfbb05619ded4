/**
 * `cosearch estimate design.json [--part P] [--part-file F] [--clock MHZ] [--calibration C] [--json]`
 * Prints the analytical per-layer table (cycles, LUT, FF, BRAM18, DSP; the bottleneck marked with *) and
 * totals with % of the part, throughput and latency; --json prints the ResourceReport.
 */
import { loadDesign } from '../../config.js';
import { estimateDesign } from '../../core/estimate.js';
import type { ResourceReport } from '../../core/report.js';
import { CORE_OPTIONS, num, pct, resolveCore } from '../core-options.js';
import { COMMON, defineCommand } from '../options.js';

function bitsOf(d: Record<string, unknown> | undefined): string {
  if (!d) return '';
  const parts: string[] = [`i${d.inBits}`];
  if (d.wBits !== null && d.wBits !== undefined) parts.push(`w${d.wBits}`);
  if (d.outBits !== null && d.outBits !== undefined) parts.push(`a${d.outBits}`);
  else if (d.isLast) parts.push(`acc${d.accBits}`);
  return parts.join(' ');
}

/** Render a report as a text table (exported for tests and other commands). */
export function formatReportTable(r: ResourceReport): string {
  const header = ['', 'layer', 'kind', 'shape (in -> out)', 'bits', 'PE/SIMD', 'cycles', 'LUT', 'FF', 'BRAM18', 'DSP'];
  const rows: string[][] = r.layers.map((l) => {
    const d = l.details as Record<string, unknown> | undefined;
    const fold = d ? (d.simd === null || d.simd === undefined ? `${d.pe}` : `${d.pe}/${d.simd}`) : '';
    return [
      l.bottleneck ? '*' : '',
      l.name,
      l.kind,
      d ? `${d.inShape} -> ${d.outShape}` : '',
      bitsOf(d),
      fold,
      num(l.cycles),
      num(l.lut),
      num(l.ff),
      num(l.bram18),
      num(l.dsp),
    ];
  });
  const t = r.total;
  const u = r.utilization;
  rows.push(['', 'total', '', '', '', '', num(r.performance.intervalCycles), num(t.lut), num(t.ff), num(t.bram18), num(t.dsp)]);
  rows.push(['', `% of ${r.part.name}`, '', '', '', '', '', pct(u.lut), pct(u.ff), pct(u.bram18), pct(u.dsp)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const right = new Set([6, 7, 8, 9, 10]);
  const line = (cells: string[]): string => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(header), sep, ...rows.slice(0, -2).map(line), sep, ...rows.slice(-2).map(line)];
  const p = r.performance;
  out.push('');
  out.push(
    `throughput: ${num(p.fps, 1)} fps at ${r.clockMHz} MHz (interval ${num(p.intervalCycles)} cycles, bottleneck * ${r.layers.filter((l) => l.bottleneck).map((l) => l.name).join(', ') || '-'}); ` +
      `latency: ${num(p.latencyUs, 1)} us (${num(p.latencyCycles)} cycles)`,
  );
  out.push(`part ${r.part.name}: ${num(r.part.lut)} LUT, ${num(r.part.ff)} FF, ${num(r.part.bram18)} BRAM18, ${num(r.part.dsp)} DSP; source: ${r.source.tool} ${r.source.version} (calibration ${r.source.calibration ?? '-'})`);
  return out.join('\n') + '\n';
}

export const estimateCommand = defineCommand({
  command: 'estimate <design>',
  describe: 'per-layer cycles, LUT, FF, BRAM18, DSP, fps and latency of a design',
  options: {
    design: { type: 'string', positional: true, demand: true, describe: 'design JSON file' },
    ...CORE_OPTIONS,
    json: { ...COMMON.json, describe: 'print the ResourceReport JSON instead of the table' },
  },
  handler: (args) => {
    const design = loadDesign(args.design);
    const { part, clockMHz, calib } = resolveCore(args, design);
    const report = estimateDesign(design, part, calib, { clockMHz });
    process.stdout.write(args.json ? JSON.stringify(report, null, 2) + '\n' : formatReportTable(report));
  },
});
