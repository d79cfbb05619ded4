/** Usage errors: unknown commands and options get "did you mean" (strict yargs), missing arguments exit 64. */
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

describe('strict command line', () => {
  it('a misspelt command is an unknown command with a suggestion, not the default command', async () => {
    const r = await cli(['estimat', 'x.json']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('unknown command or argument "estimat"');
    expect(r.stderr).toContain('did you mean `cosearch estimate`?');
    expect(r.stderr).not.toContain('--luts N and --fps F');
  });
  it('a misspelt option is an unknown option with a suggestion', async () => {
    const r = await cli(['--lut', '30000', '--fps', '10']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('unknown option --lut');
    expect(r.stderr).toContain('did you mean --luts?');
    const e = await cli(['estimate', 'x.json', '--jsn']);
    expect(e.code).toBe(64);
    expect(e.stderr).toContain('did you mean --json?');
  });
  it('estimate without its file is a usage error (64), not "file not found: undefined"', async () => {
    const r = await cli(['estimate']);
    expect(r.code).toBe(64);
    expect(r.stderr).not.toContain('undefined');
    expect(r.stderr).toMatch(/^error: a required argument is missing/);
  });
  it('a number flag without a value or with text is a usage error naming it', async () => {
    const r = await cli(['estimate', 'x.json', '--clock', 'fast']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--clock must be a number of MHz in (0, 1000], got "fast"');
    const t = await cli(['synth', 'prj', '--tool', 'yosys', '--timeout', 'Infinity']);
    expect(t.code).toBe(64);
    expect(t.stderr).toContain('--timeout must be a number of seconds');
  });
});
