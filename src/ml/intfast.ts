/**
 * Batched integer-model inference on a TF.js backend, for accuracy measurements over whole test sets (the golden
 * `intInfer` in src/ml/intref.ts is written for clarity and runs ~20 ms per image for a small CNN).
 * Same semantics as intInfer: integer weights and input values held in float32 are exact as long as every partial
 * sum stays below 2^24 in magnitude, which `fastIntInferSupported` checks from the layers' accumulator widths; the
 * tests compare it with intInfer image by image.
 */
import * as tf from '@tensorflow/tfjs-core';
import { isCompute, layerInfos } from '../core/design.js';
import { tfLinear, tfPool } from '../layers/registry-tf.js';
import type { IntComputeLayer, IntModel } from '../core/intmodel.js';

/** float32 integer arithmetic is exact below 2^24 */
const FLOAT32_EXACT_BITS = 24;

export function fastIntInferSupported(model: IntModel): boolean {
  return layerInfos(model.design).every((i) => i.accBits <= FLOAT32_EXACT_BITS);
}

/** Predictions (argmax, first index on ties) and optionally logits for `count` images (HWC codes). */
export function fastIntPredict(model: IntModel, images: Uint8Array, count: number, opts: { batch?: number; logits?: boolean } = {}): { predictions: Int32Array; logits?: Int32Array } {
  if (!fastIntInferSupported(model)) throw new Error('fastIntPredict: an accumulator exceeds 24 bits; use intInfer');
  const infos = layerInfos(model.design);
  const { height: h, width: w, channels: c } = model.design.input;
  const px = h * w * c;
  const classes = infos[infos.length - 1]!.outShape.channels;
  const predictions = new Int32Array(count);
  const logitsOut = opts.logits ? new Int32Array(count * classes) : undefined;
  const batch = opts.batch ?? 500;
  // weights as float tensors in tf layout, thresholds per channel
  const prepared = infos.map((info, i) => {
    if (!isCompute(info.layer)) return null;
    const cl = model.layers[i] as IntComputeLayer;
    const mh = info.matrixH;
    const mw = info.matrixW;
    const wt = new Float32Array(mw * mh);
    for (let o = 0; o < mh; o++) for (let j = 0; j < mw; j++) wt[j * mh + o] = cl.weights[o * mw + j]!;
    const wT = tf.tensor(wt, tfLinear(info.kind).weightShape(info));
    // thresholds stay on the JS side: codes are counted with a binary search per element (a tensor per threshold
    // would need 2^aBits - 1 full-size temporaries per layer, which exhausts wasm memory at 8 bits)
    const th = !info.isLast && cl.thresholds ? cl.thresholds : null;
    const nt = th ? th.length / mh : 0;
    return { wT, th, nt, mh };
  });
  try {
    for (let s = 0; s < count; s += batch) {
      const n = Math.min(batch, count - s);
      let x: tf.Tensor = tf.tensor4d(Float32Array.from(images.subarray(s * px, (s + n) * px)), [n, h, w, c]);
      for (const info of infos) {
        const i = info.index;
        const prev = x;
        const p = prepared[i];
        if (!p) {
          x = tfPool(info.kind).forward(x, info);
          prev.dispose();
          continue;
        }
        const acc = tf.tidy(() => {
          // codes -> values (bipolar: 2c - 1); pad with code 0 (value -1 for bipolar inputs)
          const v = info.inBipolar ? tf.sub(tf.mul(prev, 2), 1) : prev;
          return tfLinear(info.kind).forward(v, p.wT, info, info.inBipolar ? -1 : 0).acc;
        });
        prev.dispose();
        if (info.isLast || !p.th) {
          x = info.isLast ? tf.reshape(acc, [n, -1]) : acc;
          if (x !== acc) acc.dispose();
          continue;
        }
        const a = acc.dataSync();
        const codes = new Float32Array(a.length);
        const { th, nt, mh } = p;
        for (let e = 0; e < a.length; e++) {
          // number of thresholds t (ascending) with a >= t
          const base = (e % mh) * nt;
          let lo = 0;
          let hi = nt;
          const v = a[e]!;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (v >= th[base + mid]!) lo = mid + 1;
            else hi = mid;
          }
          codes[e] = lo;
        }
        x = tf.tensor(codes, acc.shape);
        acc.dispose();
      }
      const res = x;
      const lv = res.dataSync();
      res.dispose();
      for (let r = 0; r < n; r++) {
        let best = 0;
        for (let k = 1; k < classes; k++) if (lv[r * classes + k]! > lv[r * classes + best]!) best = k;
        predictions[s + r] = best;
        if (logitsOut) for (let k = 0; k < classes; k++) logitsOut[(s + r) * classes + k] = lv[r * classes + k]!;
      }
    }
  } finally {
    for (const p of prepared) {
      p?.wT.dispose();
    }
  }
  return { predictions, logits: logitsOut };
}
