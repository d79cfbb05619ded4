/**
 * Calibration fitter: rows produced by the real cost model with known constants are fitted back (the model is
 * linear in the fitted constants, so the fit must recover them); the grid is deterministic and disjoint from
 * the bench designs; a Vitis calibration is fitted from a folder of csynth reports (the fixture report's format
 * with LUT/FF figures set from known constants).
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDesigns, calibrationDesigns, fitConstants, fitFromCsynth, fitSeparableTerms, memStyleDesigns, pickedDesigns, separableDesigns, LUT_CONSTANTS, FF_CONSTANTS, FINN_LUT_CONSTANTS, FINN_FF_CONSTANTS, type FitRow } from '../../src/synth/calibrate.js';
import { estimateDesign } from '../../src/core/estimate.js';
import { DEFAULT_CALIBRATION, type Calibration } from '../../src/core/calibration.js';
import { loadPart } from '../../src/parts.js';
import { analyzeDesign } from '../../src/core/design.js';
import { validateWithSchema } from '../../src/config.js';
import { ROOT, tempDir } from './helpers.js';

const part = loadPart('xc7z020');
const truth: Record<string, number> = {
  mvauPeLutScale: 1, mvauBaseLuts: 80, xnorLutsPerLane: 0.6, popcountLutsPerInput: 1.3, signFlipLutsPerBit: 0.8, lutMultScale: 0.7,
  adderTreeLutsPerBit: 0.5, accLutsPerBit: 2, thresholdCmpLutsPerBit: 1.5, swgBaseLuts: 60, poolBaseLuts: 30, poolCmpLutsPerBit: 2, fifoLutsPerBit: 0.5,
  mvauBaseFfs: 40, accFfsPerBit: 2, laneFfsPerBit: 0.5, swgBaseFfs: 30, poolBaseFfs: 20, fifoFfsPerBit: 1,
  // RTL-twin terms (default 0 in the default calibration)
  shiftAddMultScale: 0.9, inputBufferLutsPerBit: 1.2, inputBufferFfsPerBit: 1.5, romOutFfsPerBit: 0.7, thresholdRegFfsPerBit: 0.3,
  swgFfsPerBit: 1.4, swgPixelFfsPerBit: 0.6, swgBankFfsPerBit: 0.8, rtlDwcFfsPerBit: 0.9, rtlDwcLutsPerBit: 0.4, mvauCounterFfsPerBit: 0.7, hlsStreamStructure: 0, lutMultAreaScale: 0.5, swgBankLuts: 30,
  // constant folding of the RTL twin's ROMs (structural flag) and the terms it brings in
  romConstFold: 1, constLaneLutsPerBit: 0.4, constCmpLutsPerBit: 0.3, thresholdCountLutsPerBit: 0.8, adderTreeExactLutsPerBit: 0.6, thresholdRomLutScale: 0.5,
};
const trueCal: Calibration = { ...DEFAULT_CALIBRATION, name: 'truth', constants: Object.fromEntries(Object.entries(DEFAULT_CALIBRATION.constants).map(([k, c]) => [k, { ...c, value: truth[k] ?? c.value }])) };

describe('calibration', () => {
  it('grid designs are valid, deterministic and disjoint from the bench designs', () => {
    const a = calibrationDesigns(8);
    expect(calibrationDesigns(8)).toEqual(a);
    for (const d of [...a, ...benchDesigns(8)]) expect(analyzeDesign(d).issues).toEqual([]);
    const key = (d: object): string => JSON.stringify({ ...d, name: '' });
    const bench = new Set(benchDesigns(20).map(key));
    expect(calibrationDesigns(16).filter((d) => bench.has(key(d)))).toEqual([]);
    // the grid varies what the fit needs: bit widths, kinds, folding
    const ls = a.flatMap((d) => d.layers);
    expect(new Set(ls.map((l) => ('wBits' in l ? l.wBits : 0))).size).toBeGreaterThan(3);
    expect(ls.some((l) => l.kind === 'maxpool')).toBe(true);
  });

  it('recovers known LUT and FF constants from per-layer rows of the model', () => {
    const designs = calibrationDesigns(14);
    const rows = (metric: 'lut' | 'ff'): FitRow[] =>
      designs.flatMap((d) => estimateDesign(d, part, trueCal).layers.map((l, i) => ({ design: d, layer: i, measured: l[metric] })));
    const lut = fitConstants(rows('lut'), LUT_CONSTANTS, DEFAULT_CALIBRATION, part, 'lut', { mvauPeLutScale: 1, romConstFold: 1, hlsStreamStructure: 0 }, 1e-6);
    expect(lut.after.median).toBeLessThan(0.01);
    expect(lut.before.median).toBeGreaterThan(0.1);
    // (estimates are rounded to whole LUTs, so the recovery is close, not exact)
    for (const k of ['mvauBaseLuts', 'swgBaseLuts', 'accLutsPerBit', 'thresholdCmpLutsPerBit', 'thresholdCountLutsPerBit', 'adderTreeExactLutsPerBit', 'thresholdRomLutScale', 'lutMultAreaScale', 'swgBankLuts', 'rtlDwcLutsPerBit']) expect(Math.abs(lut.values[k]! - truth[k]!)).toBeLessThan(0.05 * truth[k]!);
    const ff = fitConstants(rows('ff'), FF_CONSTANTS, DEFAULT_CALIBRATION, part, 'ff', { romConstFold: 1, hlsStreamStructure: 0 }, 1e-6);
    expect(ff.after.median).toBeLessThan(0.01);
    expect(ff.after.max).toBeLessThan(0.06); // rounding to whole FFs on small layers
    for (const k of FF_CONSTANTS) expect(Math.abs(ff.values[k]! - truth[k]!)).toBeLessThan(0.05 * truth[k]! + 0.05);
  });

  it('fits a Vitis calibration from a folder of csynth reports', () => {
    const dir = tempDir('csynth');
    const xml = readFileSync(join(ROOT, 'test', 'fixtures', 'csynth', 'vitis-2023.2_csynth.xml'), 'utf8');
    // Vitis builds the HLS library, not the RTL twin: its truth has the RTL-twin terms at their defaults
    const rtlTerms = ['romConstFold', ...LUT_CONSTANTS, ...FF_CONSTANTS].filter((k) => !(FINN_LUT_CONSTANTS as readonly string[]).includes(k) && !(FINN_FF_CONSTANTS as readonly string[]).includes(k));
    const hlsCal: Calibration = { ...trueCal, name: 'truth-hls', constants: { ...trueCal.constants, ...Object.fromEntries(rtlTerms.map((k) => [k, DEFAULT_CALIBRATION.constants[k]!])) } };
    for (const d of calibrationDesigns(10, 50)) {
      const r = estimateDesign(d, part, hlsCal);
      mkdirSync(join(dir, d.name, 'solution', 'syn', 'report'), { recursive: true });
      writeFileSync(join(dir, d.name, 'design.json'), JSON.stringify(d));
      writeFileSync(join(dir, d.name, 'solution', 'syn', 'report', 'top_csynth.xml'), xml.replace(/<LUT>\d+<\/LUT>/, `<LUT>${r.total.lut}</LUT>`).replace(/<FF>\d+<\/FF>/, `<FF>${r.total.ff}</FF>`));
    }
    const { calibration, designs } = fitFromCsynth(dir, DEFAULT_CALIBRATION, { name: 'vitis-test' });
    expect(designs).toBe(10);
    validateWithSchema('calibration', calibration, 'calibration');
    // 10 totals for 12 constants: the fit cannot pin every constant, but must cut the error substantially
    expect(calibration.fit!.lutMedianAbsErrAfter as number).toBeLessThan(0.5 * (calibration.fit!.lutMedianAbsErrBefore as number));
    expect(calibration.fit!.ffMedianAbsErrAfter as number).toBeLessThan(0.5 * (calibration.fit!.ffMedianAbsErrBefore as number));
    expect(() => fitFromCsynth(join(dir, 'nope'), DEFAULT_CALIBRATION, { name: 'x' })).toThrow(/not found/);
  });

  it('separable designs are valid, deterministic, disjoint; the VVAU terms are fitted back from their depthwise layers', () => {
    const fit = separableDesigns(6);
    expect(separableDesigns(6)).toEqual(fit);
    const bench = new Set(separableDesigns(6, 3001).map((d) => JSON.stringify({ ...d, name: '' })));
    for (const d of fit) {
      expect(analyzeDesign(d).issues).toEqual([]);
      expect(d.layers.map((l) => l.kind)).toContain('depthwise');
      expect(bench.has(JSON.stringify({ ...d, name: '' }))).toBe(false);
    }
    // reports from the model with known VVAU terms on top of the fitted-looking truth: the fit recovers them
    const known: Calibration = { ...trueCal, constants: { ...trueCal.constants, vvauBaseLuts: { ...trueCal.constants.vvauBaseLuts!, value: 123 }, vvauBaseFfs: { ...trueCal.constants.vvauBaseFfs!, value: 77 } } };
    const samples = fit.map((design) => ({ design, report: estimateDesign(design, part, known), wallSeconds: 0 }));
    const r = fitSeparableTerms(samples, trueCal, part);
    expect(r.lut.values.vvauBaseLuts).toBeCloseTo(123, 0);
    expect(r.ff.values.vvauBaseFfs).toBeCloseTo(77, 0);
    expect(r.calibration.constants.vvauBaseLuts!.value).toBe(r.lut.values.vvauBaseLuts);
    expect(r.calibration.constants.mvauBaseLuts!.value).toBe(truth.mvauBaseLuts);
    expect(r.lut.rows).toBe(6);
  });
});

describe('designs picked by searches and forced memory styles (bench/picked.ts, bench/rtl.ts)', () => {
  const dir = (): string => {
    const d = tempDir('picked');
    const base = JSON.parse(readFileSync(join(ROOT, 'test/golden/designs', 'w2a2.json'), 'utf8')) as { target: { part: string } };
    for (const [i, p] of ['xc7z020', 'xc7z020', 'xc7z020', 'xc7z020', 'xc7z020', 'xc7z020', 'xczu3eg', 'xcu50'].entries())
      writeFileSync(join(d, `${p}-${String(i).padStart(10, '0')}.json`), JSON.stringify({ ...base, target: { ...base.target, part: p } }));
    return d;
  };

  it('split the folder into two disjoint halves by file name, stable, filtered by the part family', () => {
    const d = dir();
    const fit = pickedDesigns(d, 'fit');
    const bench = pickedDesigns(d, 'bench');
    expect(fit.length + bench.length).toBe(8);
    expect(fit.length).toBeGreaterThan(0);
    expect(bench.length).toBeGreaterThan(0);
    expect(new Set([...fit, ...bench].map((x) => x.name)).size).toBe(8);
    expect(pickedDesigns(d, 'fit').map((x) => x.name)).toEqual(fit.map((x) => x.name));
    for (const x of [...fit, ...bench]) expect(x.name).toMatch(/^picked_[A-Za-z0-9_]+$/);
    const up = [...pickedDesigns(d, 'fit', 'xcup'), ...pickedDesigns(d, 'bench', 'xcup')];
    expect(up.map((x) => x.target.part).sort()).toEqual(['xcu50', 'xczu3eg']);
    expect(pickedDesigns(join(d, 'absent'), 'fit')).toEqual([]);
  });

  it('a malformed picked design is refused with its file named', () => {
    const d = dir();
    writeFileSync(join(d, 'xc7z020-bad.json'), JSON.stringify({ version: 1, name: 'x', layers: 'no' }));
    expect(() => [...pickedDesigns(d, 'fit'), ...pickedDesigns(d, 'bench')]).toThrow(/xc7z020-bad\.json/);
  });

  it('memory-style designs force bram on even seeds and lutram on odd ones, on every compute layer', () => {
    const ds = memStyleDesigns(4);
    expect(ds.map((d) => d.name)).toEqual(['mem4001', 'mem4002', 'mem4003', 'mem4004']);
    for (const [i, d] of ds.entries()) {
      const styles = d.layers.filter((l) => l.kind !== 'maxpool').map((l) => (l as { memStyle?: string }).memStyle);
      expect(new Set(styles)).toEqual(new Set([i % 2 === 0 ? 'lutram' : 'bram']));
      // the style changes what the estimate builds: forced BRAM uses at least one BRAM18 per weighted layer
      if (styles[0] === 'bram') expect(estimateDesign(d, part, DEFAULT_CALIBRATION).total.bram18).toBeGreaterThan(0);
    }
  });
});
