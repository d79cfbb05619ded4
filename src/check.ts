/**
 * The one place for checks of command-line values: numbers (finite, integer when asked, within bounds; what the
 * user typed is named in the message) and name-or-file arguments (a bundled name, or a path). The CLI's option
 * tables (src/cli/options.ts) use them for every flag; library entry points can use them for the same rules.
 */
import { existsSync } from 'node:fs';
import { UsageError } from './errors.js';

export interface NumberSpec {
  type: 'number' | 'integer' | string;
  /** inclusive lower bound */
  min?: number;
  /** exclusive lower bound, e.g. 0 for "positive" */
  above?: number;
  /** inclusive upper bound */
  max?: number;
  /** unit in messages, e.g. "seconds" */
  unit?: string;
}

/** "in [0, 4294967295]", "in (0, 1000]", ">= 2", "> 0" or "" */
function rangeText(s: NumberSpec): string {
  if (s.max !== undefined) return `in ${s.above !== undefined ? `(${s.above}` : s.min !== undefined ? `[${s.min}` : '(-inf'}, ${s.max}]`;
  if (s.above !== undefined) return `> ${s.above}`;
  if (s.min !== undefined) return `>= ${s.min}`;
  return '';
}

/** The one number check: the raw text must be a finite number (an integer for 'integer') within the bounds. */
export function checkNumber(flag: string, raw: unknown, s: NumberSpec): number {
  if (Array.isArray(raw)) throw new UsageError(`--${flag} was given ${raw.length} times (${raw.join(', ')})`, `give --${flag} once`);
  const text = String(raw).trim();
  // Number('') is 0 and Number('0x10') is 16; accept only plain decimal notation
  const ok = typeof raw === 'number' || /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text);
  const v = typeof raw === 'number' ? raw : Number(text);
  const what = [`${s.type === 'integer' ? 'an integer' : 'a number'}${s.unit ? ` of ${s.unit}` : ''}`, rangeText(s)].filter(Boolean).join(' ');
  const bad = (): never => {
    throw new UsageError(`--${flag} must be ${what}, got "${text}"`, `e.g. --${flag} ${s.min ?? (s.above !== undefined ? s.above + 1 : 1)}`);
  };
  if (!ok || !Number.isFinite(v)) return bad();
  if (s.type === 'integer' && !Number.isInteger(v)) return bad();
  if (s.min !== undefined && v < s.min) return bad();
  if (s.above !== undefined && !(v > s.above)) return bad();
  if (s.max !== undefined && v > s.max) return bad();
  return v;
}

/** A name of a bundled file or a path: a path when it ends in .json, contains a slash or exists. */
export function nameOrFile(value: string): { file: string } | { name: string } {
  return value.endsWith('.json') || value.includes('/') || existsSync(value) ? { file: value } : { name: value };
}

