/**
 * Command options declared once. Each command has one table (`name -> OptSpec`); from it come the yargs
 * builder (`applyOptions`), the TypeScript type of the parsed arguments (`ArgsOf`), the defaults shown in
 * --help, the checks of every value (`checkNumber`, `checkChoice`: the one place for number checks) and the
 * mapping to the library's option names (`toLibraryOptions`). Name-or-file arguments go through `nameOrFile`.
 *
 * Numbers are parsed here, not by yargs: yargs' `type: 'number'` turns `30k` into NaN and `-1` into a silent
 * wrap-around later, and loses what the user typed; `checkNumber` sees the raw text and names it.
 */
import type { Argv, Options, PositionalOptions } from 'yargs';
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
export { closest } from '../suggest.js';

export type OptType = 'string' | 'number' | 'integer' | 'boolean';

export interface OptSpec {
  type: OptType;
  describe: string;
  /** a default applied by the parser (shown in --help) */
  default?: string | number | boolean;
  /**
   * a default applied by the library, not the parser (shown in --help as "[default: ...]"): the option stays
   * undefined when not given, so `--resume` can tell a given flag from a default. Tests check it against the
   * library's own default.
   */
  libDefault?: string | number | boolean;
  /** --help text for a default that is derived at run time (e.g. "from the budget") */
  defaultText?: string;
  choices?: readonly string[];
  /** inclusive lower bound (numbers) */
  min?: number;
  /** exclusive lower bound (numbers), e.g. 0 for "positive" */
  above?: number;
  /** inclusive upper bound (numbers) */
  max?: number;
  /** unit in messages, e.g. "seconds" */
  unit?: string;
  demand?: boolean;
  alias?: string;
  /** a positional argument of the command (`<name>` in the command string) */
  positional?: boolean;
  /** the library option this maps to when its name is not the camel-cased flag (e.g. --clock -> clockMHz) */
  key?: string;
  /** with --resume: 'journaled' (default) must equal the journaled value; 'free' may differ */
  resume?: 'journaled' | 'free';
  /** a flag of the command itself (e.g. --json), not passed on to the library */
  local?: boolean;
  hidden?: boolean;
}

export type OptTable = Record<string, OptSpec>;

type Camel<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
type ValueOf<O> = O extends { choices: readonly (infer C)[] }
  ? C
  : O extends { type: 'string' }
    ? string
    : O extends { type: 'boolean' }
      ? boolean
      : number;
type Required<O> = O extends { demand: true } ? true : O extends { default: unknown } ? true : false;

/** The parsed arguments of a table: camel-cased keys, typed values, optional unless demanded or defaulted. */
export type ArgsOf<T extends OptTable> = {
  [K in keyof T as Required<T[K]> extends true ? Camel<K & string> : never]: ValueOf<T[K]>;
} & {
  [K in keyof T as Required<T[K]> extends true ? never : Camel<K & string>]?: ValueOf<T[K]>;
};

export function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Largest setTimeout delay (ms); larger values overflow to 1 ms in Node. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** "in [0, 4294967295]", "in (0, 1000]", ">= 2", "> 0" or "" */
function rangeText(s: OptSpec): string {
  if (s.max !== undefined) return `in ${s.above !== undefined ? `(${s.above}` : s.min !== undefined ? `[${s.min}` : '(-inf'}, ${s.max}]`;
  if (s.above !== undefined) return `> ${s.above}`;
  if (s.min !== undefined) return `>= ${s.min}`;
  return '';
}

/** The one number check: the raw text must be a finite number (an integer for 'integer') within the bounds. */
export function checkNumber(flag: string, raw: unknown, s: Pick<OptSpec, 'type' | 'min' | 'max' | 'above' | 'unit'>): number {
  if (Array.isArray(raw)) throw new UsageError(`--${flag} was given ${raw.length} times (${raw.join(', ')})`, `give --${flag} once`);
  const text = String(raw).trim();
  // Number('') is 0 and Number('0x10') is 16; accept only plain decimal notation
  const ok = typeof raw === 'number' || /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text);
  const v = typeof raw === 'number' ? raw : Number(text);
  const what = [`${s.type === 'integer' ? 'an integer' : 'a number'}${s.unit ? ` of ${s.unit}` : ''}`, rangeText(s as OptSpec)].filter(Boolean).join(' ');
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

/**
 * The --help text of a row: description, choices, default, required. All in the description column (yargs runs
 * with hide-types), which cliui wraps at word boundaries; its separate right-aligned column of [type] [default]
 * tags can be glued to the description's last word when the two meet exactly (cliui renderInline).
 */
export function helpText(s: OptSpec): string {
  const d = s.default !== undefined ? String(s.default) : s.libDefault !== undefined ? String(s.libDefault) : s.defaultText;
  const tags = [
    s.choices ? `[choices: ${s.choices.join(', ')}]` : '',
    d !== undefined && s.type !== 'boolean' ? `[default: ${d}]` : '',
    s.demand ? '[required]' : '',
  ].filter(Boolean);
  return [s.describe, ...tags].join(' ');
}

/** Declare a table's options (and positionals) on a yargs builder. */
export function applyOptions<T>(y: Argv<T>, table: OptTable): Argv<T> {
  let out = y;
  for (const [name, s] of Object.entries(table)) {
    const isNum = s.type === 'number' || s.type === 'integer';
    if (s.positional) {
      const p: PositionalOptions = { describe: helpText(s), type: isNum ? undefined : (s.type as 'string' | 'boolean'), demandOption: s.demand, default: s.default, choices: s.choices as string[] | undefined };
      out = out.positional(name, p) as Argv<T>;
      continue;
    }
    const o: Options = {
      describe: helpText(s),
      // no yargs type for numbers: checkNumber sees what was typed (yargs' 'number' makes "30k" NaN)
      type: isNum ? undefined : s.type === 'boolean' ? 'boolean' : 'string',
      requiresArg: s.type !== 'boolean',
      default: s.default,
      choices: s.choices as string[] | undefined,
      alias: s.alias,
      demandOption: s.demand ? `give --${name}` : undefined,
      hidden: s.hidden,
    };
    out = out.option(name, o) as Argv<T>;
  }
  return out;
}

/**
 * Check and convert the numbers of a table in parsed arguments (both the flag and its camel-cased key), in
 * place; run before every handler (`defineCommand`). Not a yargs `coerce`: yargs wraps what it throws.
 */
export function checkArgs(table: OptTable, args: Record<string, unknown>): void {
  for (const [name, s] of Object.entries(table)) {
    if (s.type !== 'number' && s.type !== 'integer') continue;
    const raw = args[name] ?? args[camel(name)];
    if (raw === undefined) continue;
    const v = checkNumber(name, raw, s);
    args[name] = v;
    args[camel(name)] = v;
  }
}

/** The library's options object of a table's parsed arguments (flag name -> camel case, or the row's `key`). */
export function toLibraryOptions(table: OptTable, args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(table)) {
    if (s.positional || s.local) continue;
    const v = args[camel(name)];
    if (v !== undefined) out[s.key ?? camel(name)] = v;
  }
  return out;
}

/** The flags of a table that were given on the command line (`argv` keys set without a parser default). */
export function givenFlags(table: OptTable, args: Record<string, unknown>): string[] {
  return Object.entries(table)
    .filter(([name, s]) => !s.positional && s.default === undefined && args[camel(name)] !== undefined)
    .map(([name]) => name);
}

/** Shared rows, so a flag means the same in every command. */
export const COMMON = {
  json: { type: 'boolean', default: false, local: true, resume: 'free', describe: 'print the result as JSON on stdout (messages stay on stderr)' },
  force: { type: 'boolean', default: false, describe: 'overwrite existing output' },
  seed: { type: 'integer', min: 0, max: 2 ** 32 - 1, describe: 'random seed (same seed, same result)' },
  dataDir: { type: 'string', describe: 'dataset directory (default $COSEARCH_DATA or /usr/share/datasets/<dataset>)' },
  timeoutSeconds: { type: 'number', above: 0, max: 366 * 24 * 3600, unit: 'seconds', describe: 'wall-clock limit in seconds (the process group is killed)' },
  images: { type: 'integer', min: 1, describe: 'number of test images (default: all in the project)' },
} as const satisfies Record<string, OptSpec>;

/** A command built from its option table: the builder declares the table; the handler gets `ArgsOf<table>`. */
export interface TableCommand<T extends OptTable> {
  command: string | string[];
  describe: string;
  options: T;
  /** extra builder steps (subcommands, checks) */
  build?: (y: Argv) => Argv;
  handler: (args: ArgsOf<T>) => void | Promise<void>;
}

export interface BuiltCommand {
  command: string | string[];
  describe: string;
  builder: (y: Argv) => Argv;
  handler: (args: Record<string, unknown>) => void | Promise<void>;
  /** the option table, for suggestions and tests */
  options: OptTable;
}

export function defineCommand<const T extends OptTable>(c: TableCommand<T>): BuiltCommand {
  return {
    command: c.command,
    describe: c.describe,
    options: c.options,
    builder: (y) => (c.build ? c.build(applyOptions(y, c.options)) : applyOptions(y, c.options)),
    handler: (a) => {
      checkArgs(c.options, a);
      return c.handler(a as ArgsOf<T>);
    },
  };
}
