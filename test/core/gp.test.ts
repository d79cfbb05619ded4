/** Gaussian-process regression (pure): exact interpolation with little noise, calibrated uncertainty, determinism. */
import { describe, expect, it } from 'vitest';
import { cholesky, fitGp, predictGp } from '../../src/core/gp.js';
import { Rng } from '../../src/core/rng.js';

describe('gp', () => {
  it('cholesky reproduces the matrix', () => {
    const a = new Float64Array([4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);
    const l = cholesky(a, 3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += l[i * 3 + k]! * l[j * 3 + k]!;
      expect(s).toBeCloseTo(a[i * 3 + j]!, 12);
    }
  });

  it('learns a smooth non-linear function; uncertainty grows away from the data; same rows, same model', () => {
    const rng = new Rng(1);
    const f = (x: number, z: number): number => Math.sin(x) + 0.3 * z;
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < 60; i++) {
      const x = rng.next() * 6;
      const z = rng.next() * 3;
      xs.push([x, z]);
      ys.push(f(x, z) + 0.01 * rng.normal());
    }
    const m = fitGp(xs, ys, { fidelityIndex: 1 });
    const test = [[1, 1], [2.5, 2], [4, 0.5]];
    const p = predictGp(m, test);
    test.forEach((t, i) => expect(Math.abs(p.mean[i]! - f(t[0]!, t[1]!))).toBeLessThan(0.1));
    const far = predictGp(m, [[30, 1]]);
    expect(far.std[0]!).toBeGreaterThan(3 * Math.max(...p.std));
    const again = predictGp(fitGp(xs, ys, { fidelityIndex: 1 }), test);
    expect(Array.from(again.mean)).toEqual(Array.from(p.mean));
  });
});

describe('gp inputs', () => {
  it('a column that is constant up to rounding is not blown up by standardisation', () => {
    // -(6)^-1/2 computed in different ways differs in the last bits: its std is ~1e-16, not 0
    const c = [-1 / Math.sqrt(6), -Math.sqrt(1 / 6), -1 / Math.sqrt(6000 / 1000)];
    const xs = [0, 1, 2, 3, 4, 5].map((i) => [i, c[i % 3]!]);
    const ys = xs.map((x) => 0.1 * x[0]!);
    const m = fitGp(xs, ys, { fidelityIndex: 1 });
    expect(m.std[1]).toBe(1);
    const p = predictGp(m, [[2.5, -0.1]]);
    expect(Math.abs(p.mean[0]! - 0.25)).toBeLessThan(0.1);
  });
});
