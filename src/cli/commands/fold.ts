/**
 * `cosearch fold design.json --fps N [--luts N] [--out folded.json] [--part P] [--part-file F] [--clock MHZ]`
 * Chooses every layer's PE/SIMD (and pool PE): with --fps, the cheapest folding (LUTs) meeting the frame
 * rate; with --luts only, the fastest folding within the LUT budget; with both, the --fps folding must also
 * fit the LUT budget. Writes the folded design atomically to --out (stdout without --out) and prints a
 * summary on stderr. Infeasible (frame rate unreachable, over the LUT budget, or over the part) -> exit 65
 * with the reason and the best achievable figure.
 */
import { loadDesign } from '../../config.js';
import { DataError, UsageError } from '../../errors.js';
import { writeJsonAtomic } from '../../io.js';
import { foldForFps, foldForLuts, type FoldResult } from '../../core/fold.js';
import type { Design } from '../../core/design.js';
import { isComputeLayer } from '../../layers/registry.js';
import type { ResourceReport } from '../../core/report.js';
import { CORE_OPTIONS, num, pct, resolveCore } from '../core-options.js';
import { COMMON, defineCommand } from '../options.js';

function foldingLine(d: Design): string {
  return d.layers.map((l, i) => `${l.name ?? `${l.kind}${i}`} ${isComputeLayer(l) ? `${(l as { pe: number }).pe}/${(l as { simd: number }).simd}` : `pe ${(l as { pe?: number }).pe}`}`).join(', ');
}

function summary(r: ResourceReport): string {
  const u = r.utilization;
  return (
    `${num(r.performance.fps, 1)} fps (interval ${num(r.performance.intervalCycles)} cycles at ${r.clockMHz} MHz, bottleneck ${r.performance.bottleneck}), ` +
    `${num(r.total.lut)} LUT (${pct(u.lut)}), ${num(r.total.ff)} FF (${pct(u.ff)}), ${num(r.total.bram18)} BRAM18 (${pct(u.bram18)}), ${num(r.total.dsp)} DSP (${pct(u.dsp)}) of ${r.part.name}`
  );
}

/** Resources over the part's capacity, e.g. ["LUT 61,000 > 53,200"]. */
export function overCapacity(r: ResourceReport): string[] {
  const over: string[] = [];
  const t = r.total;
  const c = r.part;
  if (t.lut > c.lut) over.push(`LUT ${num(t.lut)} > ${num(c.lut)}`);
  if (t.ff > c.ff) over.push(`FF ${num(t.ff)} > ${num(c.ff)}`);
  if (t.bram18 > c.bram18) over.push(`BRAM18 ${num(t.bram18)} > ${num(c.bram18)}`);
  if (t.dsp > c.dsp) over.push(`DSP ${num(t.dsp)} > ${num(c.dsp)}`);
  return over;
}

export const foldCommand = defineCommand({
  command: 'fold <design>',
  describe: 'choose PE/SIMD per layer for --fps (least LUTs) or --luts (highest fps)',
  options: {
    design: { type: 'string', positional: true, demand: true, describe: 'design JSON file; its pe/simd values are replaced' },
    ...CORE_OPTIONS,
    fps: { type: 'number', above: 0, describe: 'target images per second' },
    luts: { type: 'number', above: 0, describe: 'LUT budget' },
    out: { type: 'string', describe: 'output file (default: the design on stdout)' },
    json: { ...COMMON.json, describe: 'print {design, report} (the folded design and its estimate) as JSON' },
  },
  handler: (args) => {
    if (args.fps === undefined && args.luts === undefined) throw new UsageError('give --fps N and/or --luts N', 'e.g. cosearch fold design.json --fps 1000');
    const design = loadDesign(args.design);
    const { part, clockMHz, calib } = resolveCore(args, design);
    const fail = (reason: string, best: { report: ResourceReport } | null, hint: string): never => {
      throw new DataError(`infeasible: ${reason}${best ? `; best achievable: ${summary(best.report)}` : ''}`, { file: args.design, hint });
    };
    let res: FoldResult;
    if (args.fps !== undefined) {
      res = foldForFps(design, { fps: args.fps, clockMHz }, part, calib);
      if (!res.ok) return fail(res.reason, res.best, 'lower --fps, raise --clock, or make the limiting layer smaller');
      if (args.luts !== undefined && res.report.total.lut > args.luts) {
        const alt = foldForLuts(design, { luts: args.luts, clockMHz }, part, calib);
        const why = `${num(args.fps, 1)} fps needs at least ${num(res.report.total.lut)} LUTs, over the budget of ${num(args.luts)} LUTs`;
        return fail(why, alt.ok ? alt : alt.best, 'lower --fps or raise --luts');
      }
    } else {
      res = foldForLuts(design, { luts: args.luts!, clockMHz }, part, calib);
      if (!res.ok) return fail(res.reason, res.best, 'raise --luts or shrink the network');
    }
    const over = overCapacity(res.report);
    if (over.length) {
      // the fastest folding within the part's LUTs (BRAM/DSP may still overflow; the estimate says so)
      const within = foldForLuts(design, { luts: Math.min(part.lut, args.luts ?? Infinity), clockMHz }, part, calib);
      fail(`the folded design does not fit ${part.name}: ${over.join(', ')}`, within.ok ? within : res, 'choose a larger part (--part), lower --fps, or shrink the network');
    }
    if (args.out) writeJsonAtomic(args.out, res.design);
    if (args.json) process.stdout.write(JSON.stringify({ design: res.design, report: res.report }, null, 2) + '\n');
    else if (!args.out) process.stdout.write(JSON.stringify(res.design, null, 2) + '\n');
    process.stderr.write(`folded ${design.name}${args.out ? ` -> ${args.out}` : ''}: ${summary(res.report)}\n  pe/simd: ${foldingLine(res.design)}\n`);
  },
});
