/** `cosearch estimate` / `cosearch fold` exit codes and messages (in-process runCli). */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDesignObject } from '../../src/config.js';
import { cycleBudget } from '../../src/core/fold.js';
import type { Design } from '../../src/core/design.js';
import { cli } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'cosearch-cli-'));
const tiny = join(__dirname, '..', 'fixtures', 'designs', 'tiny-w2a2.json');
const golden = join(__dirname, '..', 'golden', 'cnv-w1a1.json');

describe('cosearch estimate', () => {
  it('exit 0 with a table', async () => {
    const r = await cli(['estimate', tiny]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/layer\s+kind\s+shape/);
  });
  it('unknown part -> 64 with the list of known parts', async () => {
    const r = await cli(['estimate', tiny, '--part', 'xc1234']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('unknown part "xc1234"; known parts: xc7z020');
  });
  it('unknown part in the design file -> 64', async () => {
    const f = join(tmp, 'badpart.json');
    const d = JSON.parse(readFileSync(tiny, 'utf8'));
    d.target.part = 'xcfoo';
    writeFileSync(f, JSON.stringify(d));
    expect((await cli(['estimate', f])).code).toBe(64);
    // --part overrides it
    expect((await cli(['estimate', f, '--part', 'xczu3eg'])).code).toBe(0);
  });
  it('missing design file -> 66; missing part file -> 66', async () => {
    const r = await cli(['estimate', join(tmp, 'nope.json')]);
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('nope.json');
    expect((await cli(['estimate', tiny, '--part-file', join(tmp, 'nopart.json')])).code).toBe(66);
  });
  it('bad design -> 65 naming the file, the JSON path and the fix', async () => {
    const f = join(tmp, 'badpe.json');
    const d = JSON.parse(readFileSync(tiny, 'utf8'));
    d.layers[2].pe = 3;
    writeFileSync(f, JSON.stringify(d));
    const r = await cli(['estimate', f]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${f} at /layers/2/pe: pe 3 does not divide the 8 outputs`);
    expect(r.stderr).toContain('hint: choose one of 1, 2, 4, 8');
    const g = join(tmp, 'syntax.json');
    writeFileSync(g, '{ "version": 1, ');
    const s = await cli(['estimate', g]);
    expect(s.code).toBe(65);
    expect(s.stderr).toMatch(/syntax\.json: not valid JSON/);
  });
  it('--calibration FILE replaces constants by name (fitted-calibration workflow)', async () => {
    const base = JSON.parse((await cli(['estimate', tiny, '--json'])).stdout);
    const f = join(tmp, 'yosys-test.json');
    // a partial fitted file: only mvauBaseLuts changes, from 300 to 400 LUTs per MVAU
    writeFileSync(f, JSON.stringify({ format: 'cosearch-calibration', version: 1, name: 'yosys-test', constants: { mvauBaseLuts: { value: 400, unit: 'LUT', source: 'test fit' } } }));
    const r = await cli(['estimate', tiny, '--json', '--calibration', f]);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.source.calibration).toBe('yosys-test');
    rep.layers.forEach((l: { kind: string; lut: number }, i: number) => {
      expect(l.lut - base.layers[i].lut).toBe(l.kind === 'maxpool' ? 0 : 100);
    });
    const bad = join(tmp, 'bad-calib.json');
    writeFileSync(bad, JSON.stringify({ format: 'cosearch-calibration', version: 1, name: 'bad', constants: { nope: { value: 1, unit: 'x', source: 'y' } } }));
    const e = await cli(['estimate', tiny, '--calibration', bad]);
    expect(e.code).toBe(65);
    expect(e.stderr).toContain(`${bad} at /constants/nope: unknown constant "nope"`);
  });
  it('bad --clock -> 64; bad calibration name -> 64', async () => {
    expect((await cli(['estimate', tiny, '--clock', '-5'])).code).toBe(64);
    expect((await cli(['estimate', tiny, '--calibration', 'nosuch'])).code).toBe(64);
  });
});

describe('cosearch fold', () => {
  it('--fps writes a valid folded design atomically that meets the budget', async () => {
    const out = join(tmp, 'folded.json');
    const r = await cli(['fold', golden, '--fps', '5000', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/folded cnv_w1a1 -> .*folded\.json: [\d,.]+ fps/);
    const d = validateDesignObject(JSON.parse(readFileSync(out, 'utf8')), out) as Design;
    const est = await cli(['estimate', out, '--json']);
    const rep = JSON.parse(est.stdout);
    expect(rep.performance.intervalCycles).toBeLessThanOrEqual(cycleBudget(100, 5000));
    expect(d.layers.every((l) => l.pe !== undefined)).toBe(true);
  });
  it('prints the folded design on stdout without --out', async () => {
    const r = await cli(['fold', tiny, '--fps', '1000']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).name).toBe('tiny_w2a2');
  });
  it('--luts alone gives the fastest folding within the budget', async () => {
    const r = await cli(['fold', golden, '--luts', '20000']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as Design;
    const f = join(tmp, 'l.json');
    writeFileSync(f, JSON.stringify(d));
    const rep = JSON.parse((await cli(['estimate', f, '--json'])).stdout);
    expect(rep.total.lut).toBeLessThanOrEqual(20000);
  });
  it('unreachable fps -> 65 with the reason and the best achievable figure; nothing written', async () => {
    const out = join(tmp, 'never.json');
    const r = await cli(['fold', golden, '--fps', '1000000', '--out', out]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/infeasible: .*layer conv0 needs at least [\d,]+ cycles/);
    expect(r.stderr).toMatch(/best achievable: [\d,.]+ fps/);
    expect(existsSync(out)).toBe(false);
  });
  it('fps that needs more LUTs than --luts -> 65 with the fps reachable under the budget', async () => {
    const r = await cli(['fold', golden, '--fps', '3000', '--luts', '8000']);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/needs at least [\d,]+ LUTs, over the budget of 8,000 LUTs; best achievable: [\d,.]+ fps/);
  });
  it('over the part capacity -> 65', async () => {
    const r = await cli(['fold', golden, '--fps', '60000']);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/does not fit xc7z020: LUT/);
  });
  it('no --fps/--luts or bad values -> 64', async () => {
    expect((await cli(['fold', tiny])).code).toBe(64);
    expect((await cli(['fold', tiny, '--fps', '0'])).code).toBe(64);
  });
});

describe('cosearch parts', () => {
  it('lists every bundled part with its capacity', async () => {
    const r = await cli(['parts']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/xc7z020\s+zynq7000\s+xc7\s+53,200\s+106,400\s+280\s+220\s+0/);
    const j = JSON.parse((await cli(['parts', '--json'])).stdout) as { name: string }[];
    expect(j.map((p) => p.name)).toContain('xcu280');
  });
});
