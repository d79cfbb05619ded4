/** Bad design files: every schema problem listed with its JSON path; a misspelt key is unknown, not "missing". */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'cosearch-schema-'));
const tiny = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'designs', 'tiny-w2a2.json'), 'utf8'));

describe('schema errors', () => {
  it('a misspelt key is reported as unknown, naming the key it resembles, and every other problem is listed', async () => {
    const d = JSON.parse(JSON.stringify(tiny));
    d.layers[0].outChanels = d.layers[0].outChannels;
    delete d.layers[0].outChannels;
    d.layers[2].kernel = 'three';
    d.target.clockMhz = 100;
    delete d.target.clockMHz;
    const f = join(tmp, 'misspelt.json');
    writeFileSync(f, JSON.stringify(d));
    const r = await cli(['estimate', f]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${f} at /layers/0: unknown property "outChanels" (did you mean "outChannels"?) (3 problems)`);
    expect(r.stderr).toContain('also at /layers/2/kernel: must be integer');
    expect(r.stderr).toContain('also at /target: unknown property "clockMhz" (did you mean "clockMHz"?)');
    expect(r.stderr).not.toContain('missing property "outChannels"');
    expect(r.stderr).not.toMatch(/more problem/);
    expect(r.stderr).toContain('hint: rename "outChanels" to "outChannels"');
  });
  it('a key that resembles nothing is unknown and the missing one is missing', async () => {
    const d = JSON.parse(JSON.stringify(tiny));
    delete d.layers[0].outChannels;
    d.layers[0].colour = 'red';
    const f = join(tmp, 'other.json');
    writeFileSync(f, JSON.stringify(d));
    const r = await cli(['estimate', f]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('missing property "outChannels"');
    expect(r.stderr).toContain('unknown property "colour"');
  });
});
