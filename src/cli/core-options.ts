/**
 * Options shared by the core commands (estimate, fold, export): part, part file, clock, calibration.
 */
import { loadCalibration, loadPart } from '../parts.js';
import type { Design } from '../core/design.js';
import type { Part } from '../core/part.js';
import type { Calibration } from '../core/calibration.js';
import { nameOrFile, type OptSpec } from './options.js';

export const CORE_OPTIONS = {
  part: { type: 'string', describe: 'FPGA part; see `cosearch parts`', defaultText: 'target.part of the design' },
  'part-file': { type: 'string', describe: 'JSON file describing your own part' },
  clock: { type: 'number', above: 0, max: 1000, unit: 'MHz', describe: 'clock in MHz', defaultText: 'target.clockMHz of the design' },
  calibration: { type: 'string', describe: 'cost-model calibration name or JSON file', defaultText: 'default' },
} as const satisfies Record<string, OptSpec>;

export interface CoreArgs {
  part?: string;
  partFile?: string;
  clock?: number;
  calibration?: string;
}

/** A calibration by name or file (undefined: the default one). */
export function calibrationOf(nameOrPath: string | undefined): Calibration {
  return nameOrPath === undefined ? loadCalibration() : loadCalibration(nameOrFile(nameOrPath));
}

export function resolveCore(args: CoreArgs, design: Design): { part: Part; clockMHz: number; calib: Calibration } {
  const part = loadPart(args.partFile !== undefined ? args.part : (args.part ?? design.target.part), args.partFile);
  return { part, clockMHz: args.clock ?? design.target.clockMHz, calib: calibrationOf(args.calibration) };
}

export function pct(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return `${(x * 100).toFixed(1)}%`;
}

export function num(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  return digits === 0 ? Math.round(x).toLocaleString('en-US') : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
