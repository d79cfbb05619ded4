import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { initBackend } from '../../src/ml/backend.js';
import { convBackward, convForward } from '../../src/ml/conv.js';
import { foldThresholds } from '../../src/ml/export.js';
import { poolBnActBackward, poolBnActForward } from '../../src/ml/jsops.js';
import { actCodeJs, actQmax, actSteMask, quantizeActivations, quantizeWeights, quantizeWeightsJs, weightQmax, weightSteMask } from '../../src/ml/quant.js';

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

function randArray(rng: Rng, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}

describe('weight quantizer', () => {
  it('tf op and JS twin agree; values lie in the narrow symmetric range; all levels are used', () => {
    const rng = new Rng(3);
    for (const bits of [1, 2, 3, 4, 8]) {
      const outs = 6;
      const w = randArray(rng, 50 * outs, 0.3);
      const steps = Float64Array.from({ length: outs }, () => 0.02 + rng.next() * 0.1);
      const inv = tf.tensor1d(Float32Array.from(steps, (s) => Math.fround(1 / s)));
      const q = quantizeWeights(tf.tensor2d(w, [50, outs]), bits, inv);
      const tfVals = Array.from(q.dataSync(), (v) => v + 0); // -0 -> 0
      const js = Array.from(quantizeWeightsJs(w, outs, bits, steps));
      expect(tfVals).toEqual(js);
      const qmax = weightQmax(bits);
      expect(Math.max(...js)).toBeLessThanOrEqual(qmax);
      expect(Math.min(...js)).toBeGreaterThanOrEqual(-qmax);
      if (bits === 1) expect(new Set(js)).toEqual(new Set([-1, 1]));
      else if (bits <= 4) expect(new Set(js).size).toBe(2 * qmax + 1); // saturates: every level in use
    }
  });

  it('rounds half away from zero and sign(0) = +1 for one bit', () => {
    const w = tf.tensor2d([0.5, -0.5, 1.49, -1.5, 0, 0.1], [6, 1]);
    expect(Array.from(quantizeWeights(w, 3, tf.tensor1d([1])).dataSync())).toEqual([1, -1, 1, -2, 0, 0]);
    expect(Array.from(quantizeWeights(w, 1, tf.tensor1d([1])).dataSync())).toEqual([1, -1, 1, -1, 1, 1]);
  });

  it('STE mask passes the gradient inside the quantizer range only', () => {
    const w = tf.tensor2d([0.1, 3.4, 3.6, -3.6, -0.9, 1.1], [6, 1]);
    // 3 bits: qmax 3, step 1 -> pass |w| <= 3.5
    expect(Array.from(weightSteMask(w, 3, tf.tensor1d([1])).dataSync())).toEqual([1, 1, 0, 0, 1, 1]);
    // 1 bit: pass |w| <= 1
    expect(Array.from(weightSteMask(w, 1, tf.tensor1d([1])).dataSync())).toEqual([1, 0, 0, 0, 1, 0]);
  });
});

describe('activation quantizer', () => {
  it('codes = clip(floor(z + 0.5)), bipolar sign with 0 -> +1; tf and JS twin agree on boundaries', () => {
    const zs = [-2, -0.5, -0.49, 0, 0.49, 0.5, 1.5, 2.5, 2.51, 3.49, 3.5, 7, 100];
    for (const bits of [1, 2, 3]) {
      const y = Array.from(quantizeActivations(tf.tensor1d(zs), bits).dataSync());
      const js = zs.map((z) => actCodeJs(z, bits));
      expect(y).toEqual(bits === 1 ? js.map((c) => 2 * c - 1) : js);
    }
    expect(zs.map((z) => actCodeJs(z, 2))).toEqual([0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3, 3]);
    expect(Array.from(quantizeActivations(tf.tensor1d([-0.1, 0, 0.1]), 1).dataSync())).toEqual([-1, 1, 1]);
  });
  it('STE mask: [-0.5, qmax + 0.5] for k bits, [-1, 1] for bipolar', () => {
    const zs = tf.tensor1d([-0.6, -0.5, 0, 3.5, 3.6, -1, 1, 1.1]);
    expect(Array.from(actSteMask(zs, 2).dataSync())).toEqual([0, 1, 1, 1, 0, 0, 1, 1]);
    expect(Array.from(actSteMask(zs, 1).dataSync())).toEqual([1, 1, 1, 0, 0, 1, 1, 0]);
  });
});

describe('threshold folding', () => {
  // the float inference expression the QAT model evaluates (float32 ops)
  const code = (acc: number, a: number, b: number, bits: number): number => actCodeJs(Math.fround(Math.fround(acc * a) + b), bits);

  it('integer thresholds reproduce the float BN + quantizer for every accumulator value (incl. negative, zero and extreme scales)', () => {
    const rng = new Rng(11);
    const accBits = 11; // signed range [-1024, 1023]; reachable |acc| <= 1000
    for (const bits of [1, 2, 3, 4]) {
      const cases: Array<[number, number]> = [
        [0.01, 0.3], [-0.02, 1.1], [0, 2.2], [0, -0.7], [1e-9, 0.2], [-1e-9, 1.5], [5, -3], [1e6, 0.4], [-1e6, 0.4], [0.5, 1e6], [0.5, -1e6],
        ...Array.from({ length: 40 }, (): [number, number] => [rng.normal() * 0.05, rng.normal() * 2]),
      ];
      const a = Float32Array.from(cases.map((c) => c[0]));
      const b = Float32Array.from(cases.map((c) => c[1]));
      const { thresholds, negate } = foldThresholds(a, b, bits, accBits, 1000);
      const nt = bits === 1 ? 1 : actQmax(bits);
      for (let o = 0; o < cases.length; o++) {
        expect(negate[o]).toBe(a[o]! < 0);
        for (let t = 1; t < nt; t++) expect(thresholds[o * nt + t]!).toBeGreaterThanOrEqual(thresholds[o * nt + t - 1]!);
        for (let t = 0; t < nt; t++) {
          expect(thresholds[o * nt + t]!).toBeGreaterThanOrEqual(-1000);
          expect(thresholds[o * nt + t]!).toBeLessThanOrEqual(1001);
        }
        // every reachable accumulator value (|acc| <= maxAbs = 1000)
        const bad: string[] = [];
        for (let acc = -1000; acc <= 1000; acc++) {
          const accSigned = negate[o] ? -acc : acc; // integer model sees acc' = -acc on negated channels
          let ic = 0;
          for (let t = 0; t < nt; t++) if (accSigned >= thresholds[o * nt + t]!) ic++;
          if (ic !== code(acc, a[o]!, b[o]!, bits)) bad.push(`bits ${bits} a ${a[o]} b ${b[o]} acc ${acc}`);
        }
        expect(bad).toEqual([]);
      }
    }
  });
});

describe('fused JS pool/BN/quantizer kernels', () => {
  it('inference matches the same maths as TF.js ops (max-pool then affine then quantizer), bit-exact', () => {
    const rng = new Rng(5);
    const x = tf.tensor4d(Float32Array.from({ length: 2 * 7 * 7 * 3 }, () => rng.int(-50, 50)), [2, 7, 7, 3]);
    const a = Float32Array.from([0.03, 0.011, 0.07]);
    const b = Float32Array.from([0.4, 1.2, -0.3]);
    for (const bits of [1, 2, 4]) {
      const y = poolBnActForward(x, 2, bits, null, { a, b }).y;
      const ref = quantizeActivations(tf.add(tf.mul(tf.maxPool(x, 2, 2, 'valid'), tf.tensor1d(a)), tf.tensor1d(b)), bits);
      expect(Array.from(y.dataSync())).toEqual(Array.from(ref.dataSync()));
    }
  });

  it('training forward + backward match autodiff-free TF.js reference maths', () => {
    const rng = new Rng(6);
    const shape = [4, 6, 6, 3];
    const xv = Float32Array.from({ length: 4 * 6 * 6 * 3 }, () => rng.normal() * 10);
    const x = tf.tensor4d(xv, shape as [number, number, number, number]);
    const gamma = Float32Array.from([1.2, -0.7, 0.9]);
    const beta = Float32Array.from([0.5, 1.0, 1.5]);
    const f = poolBnActForward(x, 2, 2, { gamma, beta, absGamma: true, eps: 1e-3 }, null);
    const pooled = tf.maxPool(x, 2, 2, 'valid');
    const { mean, variance } = tf.moments(pooled, [0, 1, 2]);
    const xhat = tf.div(tf.sub(pooled, mean), tf.sqrt(tf.add(variance, 1e-3)));
    const z = tf.add(tf.mul(xhat, tf.abs(tf.tensor1d(gamma))), tf.tensor1d(beta));
    const yRef = Array.from(quantizeActivations(z, 2).dataSync());
    const y = Array.from(f.y.dataSync());
    // outputs may differ only where z sits within float error of a rounding boundary
    const zv = z.dataSync();
    let diff = 0;
    for (let i = 0; i < y.length; i++) if (y[i] !== yRef[i]) { diff++; expect(Math.abs(((zv[i]! + 0.5) % 1) - 0) < 1e-4 || Math.abs(((zv[i]! + 0.5) % 1) - 1) < 1e-4).toBe(true); }
    expect(diff).toBeLessThanOrEqual(1);
    // backward against the closed-form BN gradient computed with TF.js ops
    const dy = tf.tensor4d(Float32Array.from({ length: 4 * 3 * 3 * 3 }, () => rng.normal()), [4, 3, 3, 3]);
    const bk = poolBnActBackward(dy, f.cache!, gamma, true);
    const dz = tf.mul(dy, actSteMask(z, 2));
    const m = 4 * 3 * 3;
    const sdz = tf.sum(dz, [0, 1, 2]);
    const sdzx = tf.sum(tf.mul(dz, xhat), [0, 1, 2]);
    expect(Array.from(bk.dbeta)).toEqual(Array.from(sdz.dataSync()).map((v) => expect.closeTo(v, 4)) as unknown as number[]);
    const sg = gamma.map(Math.sign);
    Array.from(sdzx.dataSync()).forEach((v, i) => expect(bk.dgamma[i]!).toBeCloseTo(v * sg[i]!, 4));
    const dPooled = tf.mul(tf.div(tf.mul(tf.abs(tf.tensor1d(gamma)), tf.rsqrt(tf.add(variance, 1e-3))), m), tf.sub(tf.sub(tf.mul(dz, m), sdz), tf.mul(xhat, sdzx)));
    // route through the window maxima (no ties in random normals)
    const dxv = bk.dx.dataSync();
    const dpv = dPooled.dataSync();
    const pv = pooled.dataSync();
    let routed = 0;
    for (let i = 0; i < xv.length; i++) {
      const c = i % 3;
      const xx = Math.floor(i / 3) % 6;
      const yy = Math.floor(i / 18) % 6;
      const n = Math.floor(i / 108);
      const p = ((n * 3 + Math.floor(yy / 2)) * 3 + Math.floor(xx / 2)) * 3 + c;
      if (xv[i] === pv[p]) {
        routed++;
        expect(dxv[i]!).toBeCloseTo(dpv[p]!, 4);
      } else expect(dxv[i]).toBe(0);
    }
    expect(routed).toBe(4 * 3 * 3 * 3);
  });
});

describe('fused backward, channel-major layout', () => {
  it('is the exact transpose of the NHWC input gradient, with and without a pool', () => {
    const rng = new Rng(11);
    const shape = [3, 6, 6, 5] as [number, number, number, number];
    const x = tf.tensor4d(Float32Array.from({ length: 3 * 6 * 6 * 5 }, () => rng.normal() * 4), shape);
    const gamma = Float32Array.from([1.2, -0.7, 0.9, 0.3, -1.1]);
    const beta = Float32Array.from([0.5, 1.0, 1.5, 0.2, 0.8]);
    for (const k of [2, 0]) {
      const f = poolBnActForward(x, k, 3, { gamma, beta, absGamma: k > 0, eps: 1e-3 }, null);
      const dy = tf.tensor(Float32Array.from({ length: f.y.size }, () => rng.normal()), f.y.shape);
      const a = poolBnActBackward(dy, f.cache!, gamma, k > 0);
      const b = poolBnActBackward(dy, f.cache!, gamma, k > 0, 'channel-major');
      expect(b.dx.shape).toEqual([5, 3 * 6 * 6]);
      expect(Array.from(b.dx.dataSync())).toEqual(Array.from(tf.transpose(tf.reshape(a.dx, [-1, 5])).dataSync()));
      expect(Array.from(b.dgamma)).toEqual(Array.from(a.dgamma));
      expect(Array.from(b.dbeta)).toEqual(Array.from(a.dbeta));
      // a pool routes each window's gradient to one input: 3/4 of the inputs get exactly 0
      if (k > 0) expect(Array.from(b.dx.dataSync()).filter((v) => v === 0).length).toBe((3 * 6 * 6 * 5 * 3) / 4);
    }
  });
});

describe('forward-only convolution gradients', () => {
  it('match TF.js Conv2DBackpropInput / Conv2DBackpropFilter (cpu backend kernels)', async () => {
    const rng = new Rng(9);
    const cases = [
      { n: 3, h: 7, ci: 2, co: 4, k: 3, p: 1 },
      { n: 2, h: 6, ci: 1, co: 3, k: 3, p: 0 },
      { n: 2, h: 8, ci: 5, co: 2, k: 5, p: 2 },
    ];
    for (const c of cases) {
      const x = Float32Array.from({ length: c.n * c.h * c.h * c.ci }, () => rng.normal());
      const w = Float32Array.from({ length: c.k * c.k * c.ci * c.co }, () => rng.normal());
      const oh = c.h + 2 * c.p - c.k + 1;
      const dy = Float32Array.from({ length: c.n * oh * oh * c.co }, () => rng.normal());
      const results: Record<string, { y: Float32Array; dx: Float32Array; dw: Float32Array }> = {};
      for (const [name, be, mode] of [['fwd-wasm', 'wasm', 'forward'], ['stock-cpu', 'cpu', 'stock']] as const) {
        await initBackend(be);
        const r = tf.tidy(() => {
          const xt = tf.tensor4d(x, [c.n, c.h, c.h, c.ci]);
          const xp = tf.pad(xt, [[0, 0], [c.p, c.p], [c.p, c.p], [0, 0]]) as tf.Tensor4D;
          const wt = tf.tensor4d(w, [c.k, c.k, c.ci, c.co]);
          const y = convForward(xp, wt);
          const g = convBackward(tf.tensor4d(dy, [c.n, oh, oh, c.co]), xp, wt, c.p, true, mode);
          return { y: y.dataSync() as Float32Array, dx: g.dx!.dataSync() as Float32Array, dw: g.dw.dataSync() as Float32Array };
        });
        results[name] = r;
      }
      await initBackend('wasm');
      const a = results['fwd-wasm']!;
      const b = results['stock-cpu']!;
      for (const k of ['y', 'dx', 'dw'] as const) {
        expect(a[k].length).toBe(b[k].length);
        a[k].forEach((v, i) => expect(v).toBeCloseTo(b[k][i]!, 3));
      }
    }
  });
});
