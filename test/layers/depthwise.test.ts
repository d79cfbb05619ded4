/**
 * The depthwise kind (src/layers/depthwise): shape analysis and legal folding, the VVAU cost terms, the integer
 * reference against the TF.js fast path, and the forward-only gradients against TF.js's own depthwise gradient
 * kernels (cpu backend).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDesign, layerInfos, type Design } from '../../src/core/design.js';
import { costParams, DEFAULT_CALIBRATION, withConstants } from '../../src/core/calibration.js';
import { geomFromInfo, layerCost } from '../../src/core/cost/layer.js';
import { newCostOut } from '../../src/core/cost/types.js';
import { Rng } from '../../src/core/rng.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { initBackend } from '../../src/ml/backend.js';
import { intInfer } from '../../src/ml/intref.js';
import { fastIntPredict } from '../../src/ml/intfast.js';
import { depthwiseTf } from '../../src/layers/depthwise/tf.js';

const fixture = (n: string): Design => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'designs', `${n}.json`), 'utf8')) as Design;

function design(layers: Design['layers'], h = 8, c = 1): Design {
  return { version: 1, name: 't', input: { height: h, width: h, channels: c, bits: 8 }, layers, target: { part: 'xc7z020', clockMHz: 100 } };
}

describe('depthwise: shapes and folding', () => {
  it('keeps the channels, MW = K*K, MH = channels, PE divides the channels, SIMD is 1', () => {
    const d = design([
      { kind: 'conv', outChannels: 6, kernel: 3, padding: 1, wBits: 2, aBits: 2, pe: 1, simd: 1 },
      { kind: 'depthwise', kernel: 3, padding: 0, wBits: 2, aBits: 2, pe: 3, simd: 1 },
      { kind: 'dense', outFeatures: 4, wBits: 2, pe: 1, simd: 1 },
    ]);
    const info = layerInfos(d)[1]!;
    expect(info.outShape).toEqual({ height: 6, width: 6, channels: 6 });
    expect([info.matrixW, info.matrixH, info.outPixels]).toEqual([9, 6, 36]);
    // 9 terms of 2-bit weights (max 1) on 2-bit inputs (max 3): |acc| <= 27 -> 5 + 1 sign bits
    expect(info.accBits).toBe(6);
    const bad = analyzeDesign(design([d.layers[0]!, { kind: 'depthwise', kernel: 3, padding: 0, wBits: 2, aBits: 2, pe: 4, simd: 3 }, d.layers[2]!])).issues;
    expect(bad.map((i) => i.jsonPath)).toEqual(['/layers/1/pe', '/layers/1/simd']);
    expect(bad[0]!.hint).toBe('choose one of 1, 2, 3, 6');
    expect(bad[1]!.hint).toBe('choose one of 1');
    const flat = analyzeDesign(design([{ kind: 'dense', outFeatures: 4, wBits: 2, aBits: 2, pe: 1, simd: 1 }, { kind: 'depthwise', kernel: 1, padding: 0, wBits: 2, aBits: 2, pe: 1, simd: 1 }, { kind: 'dense', outFeatures: 2, wBits: 2, pe: 1, simd: 1 }])).issues;
    expect(flat[0]).toMatchObject({ jsonPath: '/layers/1', message: 'depthwise layer after a dense layer' });
  });
});

describe('depthwise: VVAU cost', () => {
  const d = fixture('dwsep-w2a2');
  const info = layerInfos(d)[2]!; // depthwise 3x3 pad 1 on 14x14x8, PE 4
  const g = geomFromInfo(info);
  it('cycles = outPixels * C/PE * K*K; the window generator reads C/PE words per pixel and writes as many as the VVAU consumes', () => {
    const out = newCostOut();
    layerCost(costParams(DEFAULT_CALIBRATION), g, 4, 1, out);
    expect(out.mvauCycles).toBe(196 * 2 * 9);
    expect(out.swgCycles).toBe(196 * 2 * 9);
    expect(out.cycles).toBe(3528);
    // PE weight memories of NF*SF = 18 words of W = 2 bits
    expect(out.weightStyle).toBe(1);
    expect(out.weightLuts).toBe(4 * 2 * 1);
  });
  it('vvauBaseLuts / vvauBaseFfs are its own control terms (not the MVAU ones)', () => {
    const a = newCostOut();
    const b = newCostOut();
    layerCost(costParams(DEFAULT_CALIBRATION), g, 2, 1, a);
    layerCost(costParams(withConstants(DEFAULT_CALIBRATION, { vvauBaseLuts: 100, vvauBaseFfs: 50 }, { name: 't', source: 'test' })), g, 2, 1, b);
    expect(a.lut - b.lut).toBeCloseTo(200, 9);
    expect(a.ff - b.ff).toBeCloseTo(100, 9);
    const c = newCostOut();
    layerCost(costParams(withConstants(DEFAULT_CALIBRATION, { mvauBaseLuts: 100 }, { name: 't', source: 'test' })), g, 2, 1, c);
    expect(c.lut).toBeCloseTo(a.lut, 9);
  });
});

describe('depthwise: integer reference and TF.js', () => {
  it('the TF.js fast integer path equals intInfer on a random depthwise-separable model and real-range inputs', async () => {
    await initBackend('cpu');
    for (const name of ['dwsep-w2a2', 'dwsep-mixed']) {
      const d = fixture(name);
      const model = randomIntModel(d, 5);
      const px = d.input.height * d.input.width;
      const rng = new Rng(3);
      const images = Uint8Array.from({ length: 6 * px }, () => rng.int(0, 255));
      const fast = fastIntPredict(model, images, 6, { logits: true });
      for (let n = 0; n < 6; n++) {
        const ref = intInfer(model, images.subarray(n * px, (n + 1) * px));
        expect(Array.from(fast.logits!.subarray(n * ref.logits.length, (n + 1) * ref.logits.length))).toEqual(Array.from(ref.logits));
      }
    }
  });

  it('forward-only gradients equal TF.js DepthwiseConv2dNativeBackpropInput / Filter (cpu kernels)', async () => {
    await initBackend('cpu');
    const rng = new Rng(4);
    for (const c of [{ n: 2, h: 6, ch: 3, k: 3, p: 1 }, { n: 3, h: 5, ch: 2, k: 2, p: 0 }, { n: 1, h: 7, ch: 4, k: 5, p: 2 }]) {
      const d = design([{ kind: 'depthwise', kernel: c.k, padding: c.p, wBits: 4, aBits: 2, pe: 1, simd: 1 }, { kind: 'dense', outFeatures: 2, wBits: 2, pe: 1, simd: 1 }], c.h, c.ch);
      const info = layerInfos(d)[0]!;
      const oh = c.h + 2 * c.p - c.k + 1;
      tf.tidy(() => {
        const x = tf.tensor4d(Float32Array.from({ length: c.n * c.h * c.h * c.ch }, () => rng.normal()), [c.n, c.h, c.h, c.ch]);
        const w = tf.tensor(Float32Array.from({ length: c.k * c.k * c.ch }, () => rng.normal()), depthwiseTf.weightShape(info));
        const dy = tf.tensor4d(Float32Array.from({ length: c.n * oh * oh * c.ch }, () => rng.normal()), [c.n, oh, oh, c.ch]);
        const { acc, saved } = depthwiseTf.forward(x, w, info, 0);
        expect(acc.shape).toEqual([c.n, oh, oh, c.ch]);
        const g = depthwiseTf.backward(dy, saved, w, info, true, 'forward');
        const w4 = tf.reshape(w, [c.k, c.k, c.ch, 1]);
        const attrs = { strides: [1, 1], pad: 'valid', dilations: [1, 1] };
        const dxp = tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w4 }, { ...attrs, inputShape: saved.x.shape }) as tf.Tensor4D;
        const dx = c.p > 0 ? tf.slice(dxp, [0, c.p, c.p, 0], [-1, c.h, c.h, -1]) : dxp;
        const dw = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: saved.x, dy }, { ...attrs, filterShape: w4.shape }) as tf.Tensor;
        const close = (a: tf.Tensor, b: tf.Tensor): void => {
          const av = a.dataSync();
          const bv = b.dataSync();
          expect(av.length).toBe(bv.length);
          for (let i = 0; i < av.length; i++) expect(av[i]!).toBeCloseTo(bv[i]!, 4);
        };
        close(g.dx!, dx);
        close(g.dw, dw);
      });
    }
  });
});
