/**
 * Registry of CLI commands. Each command lives in its own file and is added here with one import line and
 * one entry in the list.
 */
import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [];
