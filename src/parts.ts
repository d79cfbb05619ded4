/**
 * Loading of FPGA part files (constraints/parts/*.json or a user --part-file) and cost-model calibration
 * files (constraints/calibration/*.json). I/O shell around the pure core (src/core/part.ts, calibration.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { validateWithSchema } from './config.js';
import { DataError, NoInputError, UsageError } from './errors.js';
import { packageRoot, readJsonFile } from './io.js';
import type { Part } from './core/part.js';
import type { Budget } from './core/budget.js';
import { DEFAULT_CALIBRATION, mergeCalibration, unknownConstants, type Calibration } from './core/calibration.js';

/** Part used when neither the command line nor the design names one. */
export const DEFAULT_PART = 'xc7z020';

function partsDir(): string {
  return join(packageRoot(), 'constraints', 'parts');
}

function calibrationDir(): string {
  return join(packageRoot(), 'constraints', 'calibration');
}

function jsonNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Names of the bundled parts (constraints/parts/<name>.json). */
export function listParts(): string[] {
  return jsonNames(partsDir());
}

const partCache = new Map<string, Part>();

function readPartFile(file: string): Part {
  const cached = partCache.get(file);
  if (cached) return cached;
  const part = validateWithSchema<Part>('part', readJsonFile(file, 'part file'), file);
  partCache.set(file, part);
  return part;
}

/**
 * Resolve a part: `partFile` (a user file, schema-checked) wins; otherwise the bundled part `name`
 * (case-insensitive; a full device name with package/speed grade such as xc7z020clg400-1 resolves to the
 * longest bundled name it starts with); `undefined` -> DEFAULT_PART.
 * Unknown name -> UsageError (64) listing the known parts; missing --part-file -> NoInputError (66);
 * bad part file -> DataError (65) with the JSON path.
 */
export function loadPart(nameOrUndefined: string | undefined, partFile?: string): Part {
  if (partFile !== undefined) {
    if (!existsSync(partFile)) throw new NoInputError(`part file not found: ${partFile}`, `see ${join(partsDir(), `${DEFAULT_PART}.json`)} for the format`);
    const part = readPartFile(partFile);
    if (nameOrUndefined !== undefined && nameOrUndefined.toLowerCase() !== part.name.toLowerCase()) {
      throw new UsageError(`--part ${nameOrUndefined} does not match the part file ${partFile} (name "${part.name}")`, 'give only one of --part and --part-file');
    }
    return part;
  }
  const name = (nameOrUndefined ?? DEFAULT_PART).trim().toLowerCase();
  const known = listParts();
  let match = known.includes(name) ? name : undefined;
  if (!match) {
    const prefixes = known.filter((k) => name.startsWith(k)).sort((a, b) => b.length - a.length);
    match = prefixes[0];
  }
  if (!match) {
    throw new UsageError(`unknown part "${nameOrUndefined}"; known parts: ${known.join(', ')}`, 'use one of the known parts, or describe your device in a JSON file and pass it with --part-file FILE (schema: constraints/schemas/part.schema.json)');
  }
  return readPartFile(join(partsDir(), `${match}.json`));
}

/** Names of the bundled calibrations (constraints/calibration/<name>.json). */
export function listCalibrations(): string[] {
  return jsonNames(calibrationDir());
}

const calibCache = new Map<string, Calibration>();

function readCalibrationFile(file: string): Calibration {
  const cached = calibCache.get(file);
  if (cached) return cached;
  const c = validateWithSchema<Calibration>('calibration', readJsonFile(file, 'calibration file'), file);
  const unknown = unknownConstants(c);
  if (unknown.length) {
    throw new DataError(`unknown constant "${unknown[0]}"`, {
      file,
      jsonPath: `/constants/${unknown[0]}`,
      hint: `known constants: ${Object.keys(DEFAULT_CALIBRATION.constants).join(', ')}`,
    });
  }
  const merged = mergeCalibration(c);
  calibCache.set(file, merged);
  return merged;
}

/**
 * Load a calibration: `file` (any path), or `name` (constraints/calibration/<name>.json, e.g. 'default',
 * 'yosys-xc7'), or the default. Constants missing from a file keep their default values.
 * Missing file -> NoInputError (66); unknown name -> UsageError (64) listing the available ones;
 * bad file -> DataError (65).
 */
export function loadCalibration(opts: { file?: string; name?: string } = {}): Calibration {
  if (opts.file !== undefined) {
    if (!existsSync(opts.file)) throw new NoInputError(`calibration file not found: ${opts.file}`, `available calibrations: ${listCalibrations().join(', ')}`);
    return readCalibrationFile(opts.file);
  }
  const name = opts.name ?? 'default';
  const file = join(calibrationDir(), `${name}.json`);
  if (!existsSync(file)) {
    if (name === 'default') return DEFAULT_CALIBRATION;
    throw new UsageError(`unknown calibration "${name}"; available: ${listCalibrations().join(', ') || '(none)'}`, 'run `cosearch calibrate` to fit one, or pass a file with --calibration FILE');
  }
  return readCalibrationFile(file);
}

/** Load a budget / constraint file (schema constraints/schemas/budget.schema.json). Missing -> 66, bad -> 65. */
export function loadBudget(file: string): Budget {
  return validateWithSchema<Budget>('budget', readJsonFile(file, 'budget file'), file);
}
