/** Design validation (schema + semantic checks of src/core/design.ts) with file + JSON path + fix. */
import { describe, expect, it } from 'vitest';
import { validateDesignObject } from '../../src/config.js';
import { analyzeDesign, legalSimd, type Design } from '../../src/core/design.js';
import { DataError } from '../../src/errors.js';

function base(): Design {
  return {
    version: 1,
    name: 'v',
    input: { height: 12, width: 12, channels: 3, bits: 8 },
    layers: [
      { kind: 'conv', outChannels: 8, kernel: 3, padding: 0, wBits: 2, aBits: 2, pe: 2, simd: 3 },
      { kind: 'maxpool', size: 2 },
      { kind: 'dense', outFeatures: 10, wBits: 2, pe: 5, simd: 25 },
    ],
    target: { part: 'xc7z020', clockMHz: 100 },
  };
}

function problem(mut: (d: Design) => void): DataError {
  const d = base();
  mut(d);
  try {
    validateDesignObject(d, 'my-design.json');
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).exitCode).toBe(65);
    expect((e as DataError).message).toContain('my-design.json');
    return e as DataError;
  }
  throw new Error('expected a DataError');
}

describe('design validation', () => {
  it('accepts the base design', () => {
    expect(analyzeDesign(base()).issues).toEqual([]);
  });
  it('pe that does not divide the outputs -> /layers/0/pe with the legal values', () => {
    const e = problem((d) => ((d.layers[0] as { pe: number }).pe = 3));
    expect(e.jsonPath).toBe('/layers/0/pe');
    expect(e.hint).toBe('choose one of 1, 2, 4, 8');
  });
  it('simd outside legalSimd -> /layers/0/simd with the legal values', () => {
    const e = problem((d) => ((d.layers[0] as { simd: number }).simd = 2));
    expect(e.jsonPath).toBe('/layers/0/simd');
    expect(e.hint).toBe('choose one of 1, 3, 9, 27');
  });
  it('dense simd must divide the flattened input (5*5*8 = 200)', () => {
    const e = problem((d) => ((d.layers[2] as { simd: number }).simd = 3));
    expect(e.jsonPath).toBe('/layers/2/simd');
    expect(e.message).toContain('matrix width 200');
  });
  it('kernel larger than the input -> /layers/i/kernel', () => {
    const e = problem((d) => {
      d.input.height = 2;
      d.input.width = 2;
    });
    expect(e.jsonPath).toBe('/layers/0/kernel');
    expect(e.hint).toMatch(/smaller kernel/);
  });
  it('padding not smaller than the kernel -> /layers/0/padding', () => {
    const e = problem((d) => ((d.layers[0] as { padding: number }).padding = 3));
    expect(e.jsonPath).toBe('/layers/0/padding');
  });
  it('pool pe that does not divide the channels -> /layers/1/pe', () => {
    const e = problem((d) => ((d.layers[1] as { pe?: number }).pe = 3));
    expect(e.jsonPath).toBe('/layers/1/pe');
  });
  it('conv after dense, missing aBits, unsupported bits, unknown property, bad kind', () => {
    expect(problem((d) => d.layers.push({ kind: 'conv', outChannels: 2, kernel: 1, padding: 0, wBits: 2, aBits: 2, pe: 1, simd: 1 })).message).toMatch(/conv layer after a dense layer|aBits/);
    expect(problem((d) => delete (d.layers[0] as { aBits?: number }).aBits).jsonPath).toBe('/layers/0/aBits');
    expect(problem((d) => ((d.layers[0] as { wBits: number }).wBits = 9)).jsonPath).toBe('/layers/0/wBits');
    const e = problem((d) => ((d.layers[0] as unknown as Record<string, unknown>).pes = 2));
    expect(e.message).toContain('unknown property "pes"');
    expect(e.jsonPath).toBe('/layers/0');
    expect(problem((d) => ((d.layers[1] as { kind: string }).kind = 'avgpool')).jsonPath).toBe('/layers/1/kind');
  });
  it('legalSimd keeps conv SIMD words inside one pixel or whole pixels', () => {
    const { infos } = analyzeDesign(base());
    expect(legalSimd(infos[0]!)).toEqual([1, 3, 9, 27]);
  });
});
