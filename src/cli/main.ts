#!/usr/bin/env node
/**
 * cosearch command line: a thin yargs layer over the library. Expected errors (CosearchError) print one
 * `error:` line (and a `hint:`) and set the documented exit code; a failed system call (EACCES, EROFS, ENOSPC
 * on a path) is an i/o error (exit 74) naming the path; anything else prints a stack, exit 70.
 * Conventions: results on stdout (text, or JSON with --json), messages and progress on stderr.
 */
import { createRequire } from 'node:module';
import type { Argv } from 'yargs';
import { CosearchError, ExitCode, IoError, UsageError } from '../errors.js';
import { commands, commandNames, allOptionNames } from './commands/index.js';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { closest } from './options.js';

// The CommonJS build of yargs: its cliui wraps with string-width/wrap-ansi at word boundaries; the ESM build
// falls back to a naive wrapper that breaks words in the middle ("hi / ghest").
const require = createRequire(import.meta.url);
const yargsFactory = require('yargs/yargs') as (args: string[]) => Argv;

export const EXIT_CODES_EPILOG =
  'Exit codes: 0 ok, 1 check failed (mismatch, regression), 64 usage, 65 bad data / infeasible, 66 input missing, ' +
  '69 tool missing, 70 internal error, 74 i/o error, 75 temporary (timeout, licence).';

/** Turn yargs' validation messages into a usage error with a suggestion ("did you mean"). */
export function usageFailure(msg: string, argv: readonly string[]): UsageError {
  const unknown = /^Unknown arguments?: (.*)$/.exec(msg);
  if (unknown) {
    const words = unknown[1]!.split(', ');
    const w = words[0]!;
    const asFlag = argv.some((a) => a === `--${w}` || a.startsWith(`--${w}=`) || a === `-${w}`);
    const more = words.length > 1 ? ` (and ${words.slice(1).map((x) => `"${x}"`).join(', ')})` : '';
    if (asFlag) {
      const opt = closest(w, allOptionNames());
      return new UsageError(`unknown option --${w}${more}`, opt ? `did you mean --${opt}? (see --help of the command)` : 'see --help of the command');
    }
    const cmd = closest(w, commandNames());
    return new UsageError(`unknown command or argument "${w}"${more}`, cmd ? `did you mean \`cosearch ${cmd}\`? (see cosearch --help)` : 'see cosearch --help for the commands');
  }
  return new UsageError(msg.replace(/^Not enough non-option arguments: got 0, need at least 1$/, 'a required argument is missing'), 'see --help of the command');
}

export async function runCli(argv: string[], opts: { columns?: number } = {}): Promise<number> {
  const columns = opts.columns ?? (process.stdout.columns ? Math.min(120, process.stdout.columns) : 80);
  const y0 = yargsFactory(argv) as Argv & { usageConfiguration: (c: { 'hide-types': boolean }) => Argv };
  // types and defaults are written into each description (options.ts helpText): see the note there
  const y = y0
    .usageConfiguration({ 'hide-types': true })
    .scriptName('cosearch')
    .usage('$0 [command] [options]\n\nFPGA hardware-architecture co-search compiler.')
    .strict()
    .demandCommand(1, 'name a command (see the list above)')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(columns)
    .epilog(EXIT_CODES_EPILOG)
    .exitProcess(false)
    .fail((msg: string, err: Error | undefined) => {
      // throwing stops yargs: returning would let it run the (default) command's handler anyway
      throw err ?? usageFailure(msg, argv);
    });
  for (const c of commands) y.command(c);
  try {
    await y.parseAsync();
  } catch (e) {
    return reportError(e);
  }
  return ExitCode.OK;
}

/** A failed system call on a path (EACCES, EROFS, ENOSPC, ...) as an i/o error naming the path. */
export function systemIoError(e: unknown): IoError | null {
  const err = e as NodeJS.ErrnoException;
  if (!err || typeof err !== 'object' || typeof err.code !== 'string' || typeof err.syscall !== 'string') return null;
  const path = err.path ?? (err as { dest?: string }).dest;
  if (!path) return null;
  return new IoError(`cannot ${err.syscall} ${path}: ${err.code}${err.code === 'EACCES' || err.code === 'EPERM' ? ' (permission denied)' : err.code === 'EROFS' ? ' (read-only file system)' : err.code === 'ENOSPC' ? ' (no space left on the device)' : ''}`, 'choose a writable location (e.g. another --out)');
}

export function reportError(e: unknown): number {
  const err = e instanceof CosearchError ? e : systemIoError(e);
  if (err) {
    process.stderr.write(`error: ${err.message}\n`);
    if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
    return err.exitCode;
  }
  process.stderr.write(`internal error: ${(e as Error)?.stack ?? String(e)}\n`);
  return ExitCode.SOFTWARE;
}

/** True when this file is the program node runs (also through the npm bin symlink). */
function invokedDirectly(): boolean {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}
if (invokedDirectly()) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
