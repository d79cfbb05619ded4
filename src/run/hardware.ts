/**
 * The inner hardware step of the search, per candidate: fold for the frame rate at least LUTs (core's
 * foldForFps), then check every budget and the part's capacity. Pure apart from the cost model.
 */
import { budgetViolations, type Budget } from '../core/budget.js';
import type { Calibration } from '../core/calibration.js';
import type { Design } from '../core/design.js';
import { foldForFps } from '../core/fold.js';
import type { Part } from '../core/part.js';
import type { ResourceReport } from '../core/report.js';

export interface HwEval {
  /** folding reached the frame rate */
  folded: boolean;
  /** fits every budget and the part */
  fits: boolean;
  lut: number;
  ff: number;
  bram18: number;
  dsp: number;
  fps: number;
  /** violated budgets / capacities, or the folding failure */
  violations: string[];
  /** normalised total violation (0 = feasible) for constrained domination */
  violation: number;
}

export interface HwContext {
  part: Part;
  calib: Calibration;
  clockMHz: number;
  budget: Budget & { luts: number; fps: number };
}

/** Penalty (in units of "budgets exceeded") for a design that cannot reach the frame rate at all. */
export const FOLD_FAIL_PENALTY = 10;

export function evaluateHardware(design: Design, ctx: HwContext): { hw: HwEval; design: Design; report: ResourceReport | null } {
  const r = foldForFps(design, { fps: ctx.budget.fps, clockMHz: ctx.clockMHz }, ctx.part, ctx.calib);
  const rep = r.ok ? r.report : r.best?.report ?? null;
  const folded = r.ok ? r.design : r.best?.design ?? design;
  const t = rep?.total;
  const hw: HwEval = {
    folded: r.ok,
    fits: false,
    lut: t?.lut ?? Infinity,
    ff: t?.ff ?? Infinity,
    bram18: t?.bram18 ?? Infinity,
    dsp: t?.dsp ?? Infinity,
    fps: rep?.performance.fps ?? 0,
    violations: [],
    violation: 0,
  };
  if (!r.ok) {
    hw.violations.push(r.reason);
    hw.violation += FOLD_FAIL_PENALTY + (rep && rep.performance.fps ? Math.max(0, ctx.budget.fps / rep.performance.fps - 1) : 1);
  }
  if (rep) {
    const b = { luts: ctx.budget.luts, brams: ctx.budget.brams, dsps: ctx.budget.dsps, ffs: ctx.budget.ffs };
    hw.violations.push(...budgetViolations(rep, b));
    const over = (used: number, lim: number | undefined): number => (lim !== undefined && used > lim ? (used - lim) / Math.max(lim, 1) : 0);
    hw.violation += over(rep.total.lut, ctx.budget.luts) + over(rep.total.bram18, ctx.budget.brams) + over(rep.total.dsp, ctx.budget.dsps) + over(rep.total.ff, ctx.budget.ffs);
    hw.violation += over(rep.total.lut, rep.part.lut) + over(rep.total.ff, rep.part.ff) + over(rep.total.bram18, rep.part.bram18) + over(rep.total.dsp, rep.part.dsp) + over(rep.total.uram, rep.part.uram);
  } else hw.violation += FOLD_FAIL_PENALTY;
  hw.fits = r.ok && hw.violations.length === 0;
  if (hw.fits) hw.violation = 0;
  else if (hw.violation <= 0) hw.violation = 1e-6;
  return { hw, design: folded, report: rep };
}
