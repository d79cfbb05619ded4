import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateWithSchema } from '../../src/config.js';
import { DEFAULT_CALIBRATION, costParams, withConstants } from '../../src/core/calibration.js';
import { DataError, NoInputError, UsageError } from '../../src/errors.js';
import { packageRoot } from '../../src/io.js';
import { DEFAULT_PART, listParts, loadBudget, loadCalibration, loadPart } from '../../src/parts.js';
import { budgetViolations } from '../../src/core/budget.js';
import { estimateDesign } from '../../src/core/estimate.js';
import { loadDesign } from '../../src/config.js';

const tmp = mkdtempSync(join(tmpdir(), 'cosearch-parts-'));

describe('bundled parts', () => {
  it('include the required devices, all schema-valid with BRAM18 = 2 x BRAM36 and a cited source', () => {
    const names = listParts();
    for (const n of ['xc7z020', 'xc7z045', 'xczu3eg', 'xczu7ev', 'xczu9eg', 'xcu50', 'xcu250', 'xcu280', 'xcvu9p']) expect(names).toContain(n);
    for (const n of names) {
      const p = loadPart(n);
      expect(p.name).toBe(n);
      expect(p.bram18 % 2).toBe(0);
      expect(p.ff).toBeGreaterThan(p.lut); // 2 FFs per LUT on 7 series and UltraScale+
      expect(p.source).toMatch(/DS\d{3}/);
      expect(p.yosysFamily).toBe(n.startsWith('xc7') ? 'xc7' : 'xcup');
    }
  });
  it('carry the data-sheet figures (DS190 XC7Z020, DS891 ZU3EG, DS923 VU9P)', () => {
    expect(loadPart('xc7z020')).toMatchObject({ lut: 53200, ff: 106400, bram18: 280, dsp: 220, uram: 0 });
    expect(loadPart('xczu3eg')).toMatchObject({ lut: 70560, ff: 141120, bram18: 432, dsp: 360, uram: 0 });
    expect(loadPart('xcvu9p')).toMatchObject({ lut: 1182240, ff: 2364480, bram18: 4320, dsp: 6840, uram: 960 });
  });
  it('resolves a full device name and the default', () => {
    expect(loadPart('XC7Z020CLG400-1').name).toBe('xc7z020');
    expect(loadPart('xczu9eg-ffvb1156-2-e').name).toBe('xczu9eg');
    expect(loadPart(undefined).name).toBe(DEFAULT_PART);
  });
  it('rejects an unknown part with exit 64 and the list of known parts', () => {
    let err: unknown;
    try {
      loadPart('xc9z999');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(64);
    expect((err as Error).message).toContain('xc7z020, xc7z045');
    expect((err as UsageError).hint).toContain('--part-file');
  });
  it('loads a user part file; missing file -> 66; bad file -> 65 with the JSON path', () => {
    const good = join(tmp, 'my.json');
    writeFileSync(good, JSON.stringify({ name: 'xc7a35t', family: 'artix7', yosysFamily: 'xc7', lut: 20800, ff: 41600, bram18: 100, dsp: 90, uram: 0, source: 'DS180 Table 2' }));
    expect(loadPart(undefined, good).lut).toBe(20800);
    expect(() => loadPart(undefined, join(tmp, 'none.json'))).toThrow(NoInputError);
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', family: 'f', yosysFamily: 'xc7', lut: -5, ff: 1, bram18: 0, dsp: 0, uram: 0, source: 's' }));
    try {
      loadPart(undefined, bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).exitCode).toBe(65);
      expect((e as DataError).file).toBe(bad);
      expect((e as DataError).jsonPath).toBe('/lut');
    }
    expect(() => loadPart('xc7z020', good)).toThrow(UsageError);
  });
});

describe('calibration', () => {
  it('constraints/calibration/default.json mirrors DEFAULT_CALIBRATION and is schema-valid', () => {
    const file = join(packageRoot(), 'constraints', 'calibration', 'default.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    validateWithSchema('calibration', json, file);
    expect(json.constants).toEqual(DEFAULT_CALIBRATION.constants);
    for (const [name, c] of Object.entries(DEFAULT_CALIBRATION.constants)) {
      expect(c.unit, name).not.toBe('');
      expect(c.source.length, name).toBeGreaterThan(10);
    }
    expect(loadCalibration().constants).toEqual(DEFAULT_CALIBRATION.constants);
  });
  it('the numeric view covers exactly the named constants', () => {
    const keys = Object.keys(costParams(DEFAULT_CALIBRATION)).filter((k) => k !== 'calibration');
    expect(keys.sort()).toEqual(Object.keys(DEFAULT_CALIBRATION.constants).sort());
  });
  it('a partial fitted file overrides only its constants', () => {
    const f = join(tmp, 'yosys-xc7.json');
    writeFileSync(f, JSON.stringify({ format: 'cosearch-calibration', version: 1, name: 'yosys-xc7', family: 'xc7', constants: { mvauBaseLuts: { value: 120, unit: 'LUT', source: 'fit of 12 designs, yosys 0.23' } } }));
    const c = loadCalibration({ file: f });
    expect(c.name).toBe('yosys-xc7');
    expect(costParams(c).mvauBaseLuts).toBe(120);
    expect(costParams(c).mvauPeLutScale).toBe(1.1);
  });
  it('withConstants builds a schema-valid fitted calibration that loads back', () => {
    const c = withConstants(DEFAULT_CALIBRATION, { mvauBaseLuts: 123, lutMultScale: 0.8 }, { name: 'yosys-xc7', family: 'xc7', source: 'test fit' });
    const f = join(tmp, 'fitted.json');
    writeFileSync(f, JSON.stringify(c));
    const back = loadCalibration({ file: f });
    expect(costParams(back).mvauBaseLuts).toBe(123);
    expect(back.constants.lutMultScale).toEqual({ value: 0.8, unit: 'LUT/LUT', source: 'test fit' });
    expect(back.constants.mvauPeLutScale).toEqual(DEFAULT_CALIBRATION.constants.mvauPeLutScale);
    expect(() => withConstants(DEFAULT_CALIBRATION, { nope: 1 }, { name: 'x', source: 'y' })).toThrow(/unknown calibration constant/);
  });
  it('rejects unknown constants (65, JSON path), missing files (66) and unknown names (64)', () => {
    const f = join(tmp, 'typo.json');
    writeFileSync(f, JSON.stringify({ format: 'cosearch-calibration', version: 1, name: 'typo', constants: { mvauBaseLut: { value: 1, unit: 'LUT', source: 'x' } } }));
    try {
      loadCalibration({ file: f });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).jsonPath).toBe('/constants/mvauBaseLut');
    }
    const g = join(tmp, 'nounit.json');
    writeFileSync(g, JSON.stringify({ format: 'cosearch-calibration', version: 1, name: 'nounit', constants: { mvauBaseLuts: { value: 1, source: 'x' } } }));
    expect(() => loadCalibration({ file: g })).toThrow(/missing property "unit"/);
    expect(() => loadCalibration({ file: join(tmp, 'none.json') })).toThrow(NoInputError);
    expect(() => loadCalibration({ name: 'no-such-calibration' })).toThrow(UsageError);
  });
});

describe('budget files', () => {
  it('load, validate and report violations of budget and part capacity', () => {
    const f = join(tmp, 'budget.json');
    writeFileSync(f, JSON.stringify({ part: 'xc7z020', luts: 1000, brams: 500, fps: 1e9 }));
    const b = loadBudget(f);
    const r = estimateDesign(loadDesign(join(__dirname, '..', 'golden', 'cnv-w1a1.json')), loadPart('xc7z020'), DEFAULT_CALIBRATION);
    const v = budgetViolations(r, b);
    expect(v).toContain(`LUT ${r.total.lut} > budget 1000`);
    expect(v.some((x) => x.startsWith('fps '))).toBe(true);
    expect(v.some((x) => x.startsWith('BRAM18'))).toBe(false);
    expect(budgetViolations(r, {})).toEqual([]);
    const g = join(tmp, 'badbudget.json');
    writeFileSync(g, JSON.stringify({ lut: 5 }));
    try {
      loadBudget(g);
      expect.unreachable();
    } catch (e) {
      expect((e as DataError).exitCode).toBe(65);
      expect((e as DataError).message).toContain('unknown property "lut"');
    }
    expect(() => loadBudget(join(tmp, 'none.json'))).toThrow(NoInputError);
  });
});

describe('shipped calibrations', () => {
  it('load, name their yosys family, keep the HLS stream structure out of the RTL twin, and are the search default for --synth yosys on their parts', async () => {
    const { resolveCalibration } = await import('../../src/search/index.js');
    for (const family of ['xc7', 'xcup']) {
      const c = loadCalibration({ name: `yosys-${family}` });
      expect(c.family).toBe(family);
      // the RTL twin has no HLS stream FIFOs: the fitted constants must not count them
      expect(c.constants.hlsStreamStructure?.value).toBe(0);
    }
    expect(resolveCalibration({ calibration: null, synth: 'yosys' }, loadPart('xczu3eg')).name).toBe('yosys-xcup');
    expect(resolveCalibration({ calibration: null, synth: 'yosys' }, loadPart('xcu50')).name).toBe('yosys-xcup');
    expect(resolveCalibration({ calibration: null, synth: 'yosys' }, loadPart('xc7z020')).name).toBe('yosys-xc7');
    expect(resolveCalibration({ calibration: null, synth: 'vitis' }, loadPart('xczu3eg')).name).toBe('default');
  });
});
