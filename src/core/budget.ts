/**
 * Budget / constraint file (constraints/schemas/budget.schema.json): resource and throughput limits for folding
 * and search. Every field optional; absent = unconstrained (the part's capacity still applies).
 */
import type { ResourceReport } from './report.js';

export interface Budget {
  part?: string;
  clockMHz?: number;
  luts?: number;
  ffs?: number;
  /** block RAM in 18 Kb units */
  brams?: number;
  dsps?: number;
  /** minimum images per second */
  fps?: number;
}

/** Violations of a budget and of the part's capacity by a report, e.g. ["LUT 61000 > budget 50000"]. Empty = fits. */
export function budgetViolations(r: ResourceReport, b: Budget = {}): string[] {
  const v: string[] = [];
  const t = r.total;
  const check = (what: string, used: number, limit: number | undefined, label: string): void => {
    if (limit !== undefined && used > limit) v.push(`${what} ${used} > ${label} ${limit}`);
  };
  check('LUT', t.lut, b.luts, 'budget');
  check('FF', t.ff, b.ffs, 'budget');
  check('BRAM18', t.bram18, b.brams, 'budget');
  check('DSP', t.dsp, b.dsps, 'budget');
  check('LUT', t.lut, r.part.lut, `${r.part.name} capacity`);
  check('FF', t.ff, r.part.ff, `${r.part.name} capacity`);
  check('BRAM18', t.bram18, r.part.bram18, `${r.part.name} capacity`);
  check('DSP', t.dsp, r.part.dsp, `${r.part.name} capacity`);
  check('URAM', t.uram, r.part.uram, `${r.part.name} capacity`);
  if (b.fps !== undefined && (r.performance.fps ?? 0) < b.fps) v.push(`fps ${r.performance.fps ?? 0} < budget ${b.fps}`);
  return v;
}
