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
import { checkNumber } from '../check.js';
export { checkNumber, nameOrFile, type NumberSpec } from '../check.js';
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
