/**
 * Options shared by the core commands (estimate, fold): part, part file, clock, calibration.
 */
import type { Argv } from 'yargs';
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { loadCalibration, loadPart } from '../parts.js';
import type { Design } from '../core/design.js';
import type { Part } from '../core/part.js';
import type { Calibration } from '../core/calibration.js';

export interface CoreArgs {
  part?: string;
  partFile?: string;
  clock?: number;
  calibration?: string;
}

export function withCoreOptions<T>(y: Argv<T>): Argv<T & CoreArgs> {
  return y
    .option('part', { type: 'string', describe: 'FPGA part (default: target.part of the design)' })
    .option('part-file', { type: 'string', describe: 'JSON file describing your own part' })
    .option('clock', { type: 'number', describe: 'clock in MHz (default: target.clockMHz)' })
    .option('calibration', { type: 'string', describe: 'calibration name or JSON file' }) as unknown as Argv<T & CoreArgs>;
}

export function resolveCore(args: CoreArgs, design: Design): { part: Part; clockMHz: number; calib: Calibration } {
  const part = loadPart(args.partFile !== undefined ? args.part : (args.part ?? design.target.part), args.partFile);
  let clockMHz = design.target.clockMHz;
  if (args.clock !== undefined) {
    if (!Number.isFinite(args.clock) || args.clock <= 0 || args.clock > 1000) throw new UsageError(`--clock must be a number of MHz in (0, 1000] (got ${args.clock})`);
    clockMHz = args.clock;
  }
  let calib: Calibration;
  if (args.calibration === undefined) calib = loadCalibration();
  else if (args.calibration.endsWith('.json') || args.calibration.includes('/') || existsSync(args.calibration)) calib = loadCalibration({ file: args.calibration });
  else calib = loadCalibration({ name: args.calibration });
  return { part, clockMHz, calib };
}

export function pct(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return `${(x * 100).toFixed(1)}%`;
}

export function num(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  return digits === 0 ? Math.round(x).toLocaleString('en-US') : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
