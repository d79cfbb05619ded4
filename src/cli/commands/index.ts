/**
 * Registry of CLI commands. Each command lives in its own file and is added here with one import line and
 * one entry in the list.
 */
import type { CommandModule } from 'yargs';
import { estimateCommand } from './estimate.js';
import { foldCommand } from './fold.js';
import { partsCommand } from './parts.js';
import { trainCommand } from './train.js';
import { emitCommand } from './emit.js';
import { csimCommand } from './csim.js';
import { synthCommand } from './synth.js';
import { rtlsimCommand } from './rtlsim.js';
import { reportCommand } from './report.js';
import { calibrateCommand } from './calibrate.js';
import { benchSpaceCommand } from './bench-space.js';
import { predictorCommand } from './predictor.js';
import { searchCommand } from './search.js';
import { workerCommand } from './worker.js';
import { queueCommand } from './queue.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
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
  searchCommand,
  workerCommand,
  queueCommand,
];
