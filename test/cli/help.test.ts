/**
 * --help of every command: wrapped at word boundaries at 80 and 120 columns (the CommonJS build of yargs; the ESM
 * build's fallback wrapper cut words: "hi / ghest"), and defaults that are true (synth --timeout per tool).
 */
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../src/cli/commands/index.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/synth/run-tool.js';
import { cli } from './helpers.js';

const WIDE = 2000;

/** Every command (written out, so this also runs against a tree without allCommands). */
const COMMANDS = [[], ['estimate'], ['fold'], ['parts'], ['train'], ['emit'], ['csim'], ['synth'], ['rtlsim'], ['report'], ['report', 'diff'], ['calibrate'], ['bench-space'], ['predictor'], ['export'], ['worker'], ['queue'], ['queue', 'status']];

describe('--help wraps at word boundaries', () => {
  it('the list above is every command', () => {
    expect(COMMANDS.map((w) => w.join(' ')).sort()).toEqual(allCommands.map((c) => c.words.join(' ')).sort());
  });
  for (const words of COMMANDS) {
    const name = words.join(' ') || '(default command)';
    it(`${name} at 80 and 120 columns`, async () => {
      const wide = await cli([...words, '--help'], { columns: WIDE });
      expect(wide.code).toBe(0);
      const known = new Set(wide.stdout.split(/\s+/).filter(Boolean));
      expect(known.size).toBeGreaterThan(10);
      for (const columns of [80, 120]) {
        const r = await cli([...words, '--help'], { columns });
        expect(r.code).toBe(0);
        const lines = r.stdout.split('\n');
        for (const line of lines) expect(line.length, `${name} @${columns}: ${line}`).toBeLessThanOrEqual(columns);
        const broken = r.stdout.split(/\s+/).filter((w) => w && !known.has(w));
        expect(broken, `${name} @${columns}: words cut by the wrapper`).toEqual([]);
      }
    });
  }
});

describe('--help says the defaults the code uses', () => {
  it('synth --timeout: vitis 4 h, yosys 30 min (from DEFAULT_TIMEOUT_MS)', async () => {
    expect(DEFAULT_TIMEOUT_MS.yosys).toBe(30 * 60_000);
    const r = await cli(['synth', '--help'], { columns: WIDE });
    expect(r.stdout).toMatch(/--timeout .*\[default: vitis 4 h, yosys 30 min\]/);
  });
  it('the search shows its defaults (wave size 8, seed 1, part xc7z020)', async () => {
    const r = await cli(['--help'], { columns: WIDE });
    expect(r.stdout).toMatch(/--wave-size .*\[default: 8\]/);
    expect(r.stdout).toMatch(/--seed .*\[default: 1\]/);
    expect(r.stdout).toMatch(/--part .*\[default: xc7z020\]/);
  });
  it('every option has a description', async () => {
    for (const { command } of allCommands) for (const [name, s] of Object.entries(command.options)) expect(s.describe.length, name).toBeGreaterThan(2);
  });
});
