/**
 * The option tables (src/cli/options.ts): one number check for every command, search defaults in --help equal
 * to the library's, the flag -> library-name mapping, and --json on every command that prints results.
 */
import { describe, expect, it } from 'vitest';
import { checkNumber, toLibraryOptions, camel } from '../../src/cli/options.js';
import { SEARCH_OPTIONS } from '../../src/cli/commands/search.js';
import { allCommands } from '../../src/cli/commands/index.js';
import { normalizeOptions } from '../../src/search.js';
import { UsageError } from '../../src/errors.js';
import { cli } from './helpers.js';

const SEED = SEARCH_OPTIONS.seed;

describe('checkNumber (the one number check)', () => {
  it('refuses NaN, Infinity, 30k, -1 and 2^32 as a seed, naming the flag and what was typed', () => {
    for (const bad of ['NaN', 'Infinity', '30k', '-1', '4294967296', '1.5', '', '0x10', '1e400']) {
      expect(() => checkNumber('seed', bad, SEED), bad).toThrow(UsageError);
      expect(() => checkNumber('seed', bad, SEED)).toThrow(`--seed must be an integer in [0, 4294967295], got "${bad}"`);
    }
    for (const bad of [NaN, Infinity, -1, 2 ** 32]) expect(() => checkNumber('seed', bad, SEED)).toThrow(UsageError);
  });
  it('accepts 0, 2^32-1 and numbers yargs already parsed', () => {
    expect(checkNumber('seed', '0', SEED)).toBe(0);
    expect(checkNumber('seed', '4294967295', SEED)).toBe(4294967295);
    expect(checkNumber('seed', 7, SEED)).toBe(7);
    expect(checkNumber('fps', '1e3', { type: 'number', above: 0 })).toBe(1000);
  });
  it('a repeated flag is refused', () => {
    expect(() => checkNumber('seed', [1, 2], SEED)).toThrow('--seed was given 2 times');
  });
});

describe('seed through the CLI', () => {
  it('search, train, bench-space, calibrate and predictor refuse --seed 30k / NaN / Infinity / -1 with exit 64', async () => {
    const cmds = [
      ['--luts', '3000', '--fps', '10'],
      ['train', 'd.json', '--out', 'x'],
      ['bench-space', '--n', '2', '--out', 'x.jsonl'],
      ['calibrate'],
      ['predictor', 'train', 't.jsonl', '--out', 'p.json'],
    ];
    for (const c of cmds)
      for (const s of ['30k', 'NaN', 'Infinity', '-1']) {
        const r = await cli([...c, '--seed', s]);
        expect(r.code, `${c.join(' ')} --seed ${s}`).toBe(64);
        expect(r.stderr).toContain(`--seed must be an integer in [0, 4294967295], got "${s}"`);
      }
  });
});

describe('SEARCH_OPTIONS', () => {
  it('every default shown in --help is the library default', () => {
    const o = normalizeOptions({ luts: 1000, fps: 10 }) as unknown as Record<string, unknown>;
    const rows = Object.entries(SEARCH_OPTIONS).filter(([, s]) => 'libDefault' in s);
    expect(rows.length).toBeGreaterThan(8);
    for (const [name, s] of rows) expect(o[(s as { key?: string }).key ?? camel(name)], name).toBe((s as { libDefault: unknown }).libDefault);
  });
  it('maps flags to the library names (clock -> clockMHz, data -> dataDir, wave-size -> waveSize) and drops --json', () => {
    const lib = toLibraryOptions(SEARCH_OPTIONS, { clock: 50, data: '/d', waveSize: 3, json: true, luts: 10 });
    expect(lib).toEqual({ clockMHz: 50, dataDir: '/d', waveSize: 3, luts: 10 });
  });
  it('every row maps to a SearchOptions field that normalizeOptions knows', () => {
    const o = normalizeOptions({ luts: 1000, fps: 10 }) as unknown as Record<string, unknown>;
    const known = new Set([...Object.keys(o), 'resume', 'partFile', 'brams', 'dsps', 'dataDir', 'calibration', 'finalEpochs']);
    for (const [name, s] of Object.entries(SEARCH_OPTIONS)) if (!('local' in s)) expect(known.has((s as { key?: string }).key ?? camel(name)), name).toBe(true);
  });
});

describe('--json', () => {
  it('every command that prints a result has --json', () => {
    const without = allCommands.filter((c) => !['report', 'queue'].includes(c.words.join(' ')) && !('json' in c.command.options)).map((c) => c.words.join(' '));
    expect(without).toEqual([]);
  });
});

describe('adding a search option is one row', () => {
  it('a new row is parsed, checked, shown in --help and passed to the library under its camel-cased name', async () => {
    const { defineCommand } = await import('../../src/cli/options.js');
    const { createRequire } = await import('node:module');
    const yargs = createRequire(import.meta.url)('yargs/yargs') as (a: string[]) => import('yargs').Argv;
    const table = { ...SEARCH_OPTIONS, 'max-layers': { type: 'integer', min: 1, libDefault: 6, describe: 'deepest network searched' } } as const;
    let lib: Record<string, unknown> = {};
    const cmd = defineCommand({ command: '$0', describe: 'search', options: table, handler: (a) => void (lib = toLibraryOptions(table, a as Record<string, unknown>)) });
    await yargs(['--luts', '100', '--fps', '5', '--max-layers', '4']).command(cmd as never).strict().fail((m, e) => { throw e ?? new Error(m); }).parseAsync();
    expect(lib).toMatchObject({ luts: 100, fps: 5, maxLayers: 4 });
    await expect((async () => yargs(['--max-layers', '0']).command(cmd as never).fail((m, e) => { throw e ?? new Error(m); }).parseAsync())()).rejects.toThrow('--max-layers must be an integer >= 1, got "0"');
    const help = await yargs([]).command(cmd as never).wrap(200).getHelp();
    expect(help).toMatch(/--max-layers\s+deepest network searched \[default: 6\]/);
  });
});
