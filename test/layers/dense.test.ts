/**
 * The dense layer's TF.js side (src/layers/dense/tf.ts): forward is the flattened product, backward gives the exact
 * gradients dW = x^T dacc and dX = dacc W^T (checked against plain loops on the wasm backend the search trains on).
 * The backward pass writes the transposed products as transpose + product (src/ml/matmul.ts: 7-10x faster on wasm,
 * `npx tsx bench/matmul.ts`); this test holds them to the same maths.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/ml/backend.js';
import { denseTf } from '../../src/layers/dense/tf.js';
import { matMulAT, matMulBT } from '../../src/ml/matmul.js';
import type { LayerInfo } from '../../src/core/design.js';

const pseudo = (n: number, k: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + k) * 0.5);

describe('dense layer gradients', () => {
  beforeAll(async () => {
    await initBackend('auto');
  });
  it('dW = x^T dacc and dX = dacc W^T (NHWC flattening), as plain loops compute them', () => {
    const [B, H, W, C, O] = [5, 3, 2, 4, 7];
    const K = H * W * C;
    const xs = pseudo(B * K, 1);
    const ws = pseudo(K * O, 2);
    const ds = pseudo(B * O, 3);
    const x = tf.tensor4d(xs, [B, H, W, C]);
    const w = tf.tensor2d(ws, [K, O]);
    const dacc = tf.tensor2d(ds, [B, O]);
    const info = { matrixW: K, matrixH: O } as unknown as LayerInfo;
    const { acc, saved } = denseTf.forward(x, w, info, 0);
    const { dw, dx } = denseTf.backward(dacc, saved, w, info, true);
    expect(dx!.shape).toEqual([B, H, W, C]);
    expect(dw.shape).toEqual([K, O]);
    const accV = acc.dataSync();
    const dwV = dw.dataSync();
    const dxV = dx!.dataSync();
    for (let b = 0; b < B; b++)
      for (let o = 0; o < O; o++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += xs[b * K + k]! * ws[k * O + o]!;
        expect(accV[b * O + o]).toBeCloseTo(s, 4);
      }
    for (let k = 0; k < K; k++)
      for (let o = 0; o < O; o++) {
        let s = 0;
        for (let b = 0; b < B; b++) s += xs[b * K + k]! * ds[b * O + o]!;
        expect(dwV[k * O + o]).toBeCloseTo(s, 4);
      }
    for (let b = 0; b < B; b++)
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let o = 0; o < O; o++) s += ds[b * O + o]! * ws[k * O + o]!;
        expect(dxV[b * K + k]).toBeCloseTo(s, 4);
      }
  });
  it('matMulAT / matMulBT are the transposed products of tf.matMul', () => {
    const a = tf.tensor2d(pseudo(6 * 4, 4), [6, 4]);
    const b = tf.tensor2d(pseudo(6 * 3, 5), [6, 3]);
    const c = tf.tensor2d(pseudo(5 * 4, 6), [5, 4]);
    const at = matMulAT(a, b).dataSync();
    const refA = tf.matMul(a, b, true, false).dataSync();
    expect(at.length).toBe(4 * 3);
    for (let i = 0; i < refA.length; i++) expect(at[i]).toBeCloseTo(refA[i]!, 5);
    const bt = matMulBT(a, c).dataSync();
    expect(bt.length).toBe(6 * 5);
    const ref = tf.matMul(a, c, false, true).dataSync();
    for (let i = 0; i < ref.length; i++) expect(bt[i]).toBeCloseTo(ref[i]!, 5);
  });
});
