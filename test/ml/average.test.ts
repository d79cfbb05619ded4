import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/ml/backend.js';
import { restoreVariables, WeightAverage } from '../../src/ml/average.js';

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

describe('WeightAverage', () => {
  it('is an exponential moving average with the warm-up decay min(d, (1 + n) / (10 + n)), swapped in and restored', () => {
    const v = tf.variable(tf.tensor1d([0, 0]), true);
    const a = new WeightAverage(0.5);
    const values = [
      [1, 2],
      [3, 4],
      [5, 8],
    ];
    // reference: the first update copies; then s = d s + (1 - d) x with d = min(0.5, (1 + n) / (10 + n))
    let s = [0, 0];
    values.forEach((x, k) => {
      v.assign(tf.tensor1d(x));
      a.update([v]);
      const n = k + 1;
      const d = Math.min(0.5, (1 + n) / (10 + n));
      s = k === 0 ? x.slice() : s.map((si, j) => d * si + (1 - d) * x[j]!);
    });
    const before = a.swapIn([v]);
    expect(Array.from(before[0]!)).toEqual([5, 8]);
    const got = Array.from(v.dataSync());
    got.forEach((g, j) => expect(g).toBeCloseTo(s[j]!, 5));
    // the warm-up decay weights the latest values more than a plain 0.5 average of the same updates (3.5) would
    expect(got[0]).not.toBeCloseTo(0.5 * (0.5 * 1 + 0.5 * 3) + 0.5 * 5, 3);
    restoreVariables([v], before);
    expect(Array.from(v.dataSync())).toEqual([5, 8]);
    v.dispose();
  });

  it('refuses to swap in before any update', () => {
    const v = tf.variable(tf.tensor1d([1]), true);
    expect(() => new WeightAverage(0.9).swapIn([v])).toThrow(/no update/);
    v.dispose();
  });
});
