#!/usr/bin/env node
/**
 * cosearch command line: a thin yargs layer over the library. Expected errors (CosearchError) print one
 * `error:` line (and a `hint:`) and set the documented exit code; anything else prints a stack, exit 70.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CosearchError, ExitCode } from '../errors.js';
import { commands } from './commands/index.js';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export async function runCli(argv: string[]): Promise<number> {
  let failed: unknown = undefined;
  const y = yargs(argv)
    .scriptName('cosearch')
    .usage('$0 [command] [options]\n\nFPGA hardware-architecture co-search compiler.')
    .strict()
    .demandCommand(1, 'name a command (see the list above)')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .epilog(
      'Exit codes: 0 ok, 1 check failed (mismatch, regression), 64 usage, 65 bad data / infeasible,\n' +
        '66 input missing, 69 tool missing, 70 internal error, 74 i/o error, 75 temporary (timeout, licence).',
    )
    .fail((msg, err) => {
      failed = err ?? new CosearchError(msg, ExitCode.USAGE, 'run `cosearch --help`');
    });
  for (const c of commands) y.command(c);
  try {
    await y.parseAsync();
  } catch (e) {
    failed = e;
  }
  if (failed === undefined) return ExitCode.OK;
  return reportError(failed);
}

export function reportError(e: unknown): number {
  if (e instanceof CosearchError) {
    process.stderr.write(`error: ${e.message}\n`);
    if (e.hint) process.stderr.write(`hint: ${e.hint}\n`);
    return e.exitCode;
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
  runCli(hideBin(process.argv)).then((code) => {
    process.exitCode = code;
  });
}
