/**
 * Registry of CLI commands. Each command lives in its own file (built from its option table with
 * defineCommand) and is added here with one import line and one entry in the list.
 */
import type { CommandModule } from 'yargs';
import type { BuiltCommand } from '../options.js';
import { estimateCommand } from './estimate.js';
import { foldCommand } from './fold.js';
import { partsCommand } from './parts.js';
import { trainCommand } from './train.js';
import { emitCommand } from './emit.js';
import { csimCommand } from './csim.js';
import { synthCommand } from './synth.js';
import { rtlsimCommand } from './rtlsim.js';
import { diffCommand, reportCommand } from './report.js';
import { calibrateCommand } from './calibrate.js';
import { benchSpaceCommand } from './bench-space.js';
import { predictorCommand } from './predictor.js';
import { exportCommand } from './export.js';
import { searchCommand } from './search.js';
import { workerCommand } from './worker.js';
import { queueCommand, queueStatusCommand } from './queue.js';

export const builtCommands: BuiltCommand[] = [
  estimateCommand,
  foldCommand,
  partsCommand,
  trainCommand,
  emitCommand,
  csimCommand,
  synthCommand,
  rtlsimCommand,
  reportCommand,
  calibrateCommand,
  benchSpaceCommand,
  predictorCommand,
  exportCommand,
  searchCommand,
  workerCommand,
  queueCommand,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands = builtCommands as unknown as CommandModule<any, any>[];

/** Every command and subcommand (with its words, e.g. "report diff"), for help tests and suggestions. */
export const allCommands: { words: string[]; command: BuiltCommand }[] = [
  ...builtCommands.filter((c) => c !== searchCommand).map((c) => ({ words: [String(c.command).split(' ')[0]!], command: c })),
  { words: ['report', 'diff'], command: diffCommand },
  { words: ['queue', 'status'], command: queueStatusCommand },
  { words: [], command: searchCommand },
];

export function commandNames(): string[] {
  return builtCommands.map((c) => String(c.command).split(' ')[0]!).filter((n) => n !== '$0');
}

export function allOptionNames(): string[] {
  return [...new Set(allCommands.flatMap((c) => Object.keys(c.command.options)))];
}
