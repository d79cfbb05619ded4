/**
 * `cosearch --resume RUN` (src/cli/commands/search.ts checkResume): flags that would be silently ignored are
 * refused naming the flag and the journaled value; empty, torn and corrupt journals get a clear message, and a
 * failed resume leaves no lock behind.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { normalizeOptions } from '../../src/search.js';
import { openJournal } from '../../src/run/journal.js';
import { LOCK_FILE } from '../../src/run/lock.js';
import { checkResume, clearEmptyJournal, type SearchArgs } from '../../src/cli/commands/search.js';
import { cli } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'cosearch-resume-'));
let n = 0;

/** A run directory whose journal holds the start record of a real search's options (and an eval). */
function runDir(): { dir: string; options: ReturnType<typeof normalizeOptions> } {
  const dir = join(root, `run-${n++}`);
  const options = normalizeOptions({ luts: 30000, fps: 1000, out: dir });
  const { journal } = openJournal(join(dir, 'journal.jsonl'));
  journal.append({ type: 'start', options, version: 1 });
  journal.append({ type: 'eval', candidate: { key: 'k1' } });
  journal.close();
  return { dir, options };
}

describe('--resume refuses flags that differ from the journal', () => {
  it('--seed, --workers, --waves, --synth, --luts with other values: exit 64 naming the flag and the journaled value', async () => {
    const { dir, options } = runDir();
    const cases: [string, string, unknown][] = [
      ['seed', '7', options.seed],
      ['workers', String(options.workers + 1), options.workers],
      ['waves', '5', options.waves],
      ['synth', 'yosys', options.synth],
      ['luts', '10000', options.luts],
      ['budget-minutes', '3', options.budgetMinutes],
    ];
    for (const [flag, value, journaled] of cases) {
      const r = await cli(['--resume', dir, `--${flag}`, value]);
      expect(r.code, flag).toBe(64);
      expect(r.stderr).toContain(`--${flag} was ${JSON.stringify(journaled)}, not ${JSON.stringify(Number.isNaN(Number(value)) ? value : Number(value))}`);
      expect(r.stderr).toContain(`hint: drop --${flag}`);
    }
    const o = await cli(['--resume', dir, '--out', join(root, 'elsewhere')]);
    expect(o.code).toBe(64);
    expect(o.stderr).toContain('a resumed run stays in its own directory');
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
  it('the same values as journaled are accepted', () => {
    const { dir, options } = runDir();
    const args = { resume: dir, seed: options.seed, luts: options.luts, workers: options.workers, out: dir, json: false } as unknown as SearchArgs;
    expect(checkResume(args).length).toBe(2);
  });
});

describe('journals that cannot be resumed', () => {
  it('no journal: exit 66', async () => {
    const dir = join(root, 'nojournal');
    mkdirSync(dir);
    const r = await cli(['--resume', dir]);
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('no journal.jsonl there');
  });
  it('an empty journal: exit 64 saying so and how to start again; a new run into that directory replaces it', async () => {
    const dir = join(root, 'empty');
    mkdirSync(dir);
    writeFileSync(join(dir, 'journal.jsonl'), '');
    const r = await cli(['--resume', dir]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('the journal is empty');
    expect(r.stderr).toContain(`--out ${dir}`);
    // only a torn fragment and no complete record: also empty
    writeFileSync(join(dir, 'journal.jsonl'), '{"type":"sta');
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      clearEmptyJournal(dir);
    } finally {
      spy.mockRestore();
    }
    expect(existsSync(join(dir, 'journal.jsonl'))).toBe(false);
    // a journal with records is never removed
    const { dir: full } = runDir();
    clearEmptyJournal(full);
    expect(existsSync(join(full, 'journal.jsonl'))).toBe(true);
  });
  it('a torn last record is reported on stderr (it is dropped and recomputed)', () => {
    const { dir } = runDir();
    appendFileSync(join(dir, 'journal.jsonl'), '{"type":"eval","candidate":{"ke');
    let err = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
    try {
      checkResume({ resume: dir } as unknown as SearchArgs);
    } finally {
      spy.mockRestore();
    }
    expect(err).toMatch(/warning: .*journal\.jsonl: the last record \(31 bytes\) is incomplete/);
  });
  it('a corrupt record in the middle: exit 65 naming the line, and no stale lock is left', async () => {
    const { dir } = runDir();
    appendFileSync(join(dir, 'journal.jsonl'), 'garbage\n{"type":"eval"}\n');
    const r = await cli(['--resume', dir]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('line 3 is not valid JSON');
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
