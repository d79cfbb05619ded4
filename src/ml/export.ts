/**
 * Integer export of a trained QatModel (src/core/intmodel.ts semantics):
 * - weights: the integer values the QAT forward pass multiplies with (read from the same quantizer op);
 * - hidden layers: batch norm + activation quantizer folded into per-output-channel integer thresholds
 *   (FINN streamlining, Umuroglu & Jahre 2017, "Streamlined deployment for quantized neural networks"):
 *   the float model computes code = q(fl(fl(acc * a) + b)) with a, b the per-channel float32 BN affine map; for
 *   a > 0 the code is >= k exactly when acc >= t_k, t_k the smallest integer with q(...) >= k. The thresholds are
 *   found by evaluating the float32 expression itself (Math.fround), so the export is bit-exact with the float
 *   model's inference arithmetic, not just up to rounding;
 * - channels with a < 0 (negative BN scale): the channel's weights are negated (acc' = -acc) and thresholds are
 *   computed on acc', which keeps each threshold row ascending;
 * - a = 0 (constant channel) and thresholds beyond the reachable accumulator range [-maxAbs, maxAbs] are clamped:
 *   "always" -> -maxAbs, "never" -> maxAbs + 1, which fit the layer's signed accumulator (LayerInfo.accBits)
 *   except when maxAbs = 2^(accBits-1) - 1 exactly (then "never" is clamped to that value);
 * - last layer: integer logits = the integer dot products (the float model multiplies them by one positive
 *   scale, which keeps the argmax).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ComputeLayer, LayerInfo } from '../core/design.js';
import type { IntLayer, IntModel } from '../core/intmodel.js';
import { actQmax } from './quant.js';
import { isQatPool, type QatModel } from './qat.js';

/** The float32 pre-activation the inference graph computes: fl(fl(acc * a) + b). */
function zOf(acc: number, a: number, b: number): number {
  return Math.fround(Math.fround(acc * a) + b);
}

/** Activation code of the float inference graph for a pre-activation z (float32 ops like the tf graph). */
function codeOf(z: number, aBits: number): number {
  if (aBits === 1) return z >= 0 ? 1 : 0;
  const v = Math.floor(Math.fround(z + 0.5));
  return Math.max(0, Math.min(actQmax(aBits), v));
}

/**
 * Integer thresholds of one channel for z = fl(fl(acc*a)+b), given float32 a > 0 (or a < 0 with `negated`
 * handled by the caller passing -a semantics) — see foldThresholds.
 * Returns the smallest integer t in [lo, hi] with code(t) >= k, or hi when none (never reached).
 */
function smallestReaching(k: number, a: number, b: number, aBits: number, lo: number, hi: number, sign: 1 | -1): number {
  // code as a function of acc' = sign * acc (non-decreasing in acc' when sign * a >= 0)
  const code = (accP: number): number => codeOf(zOf(sign * accP, a, b), aBits);
  if (code(lo) >= k) return lo;
  if (code(hi) < k) return hi;
  // binary search on the monotone step function: code(lo) < k <= code(hi)
  let l = lo;
  let h = hi;
  while (h - l > 1) {
    const m = Math.floor((l + h) / 2);
    if (code(m) >= k) h = m;
    else l = m;
  }
  return h;
}

/**
 * Fold a hidden layer's BN affine map (float32 a[c], b[c]) and activation quantizer into integer thresholds.
 * Returns the thresholds [C][2^aBits-1] and which channels had their weights negated.
 */
export function foldThresholds(a: Float32Array, b: Float32Array, aBits: number, accBits: number, maxAbs?: number): { thresholds: Int32Array; negate: boolean[] } {
  const c = a.length;
  const nt = aBits === 1 ? 1 : actQmax(aBits);
  // reachable accumulators: [-maxAbs, maxAbs]; "always" = -maxAbs, "never" = maxAbs + 1, both kept inside the signed
  // accBits range (only when maxAbs = 2^(accBits-1) - 1 exactly does "never" collide with the largest value)
  const accMax = 2 ** (accBits - 1) - 1;
  const m = Math.min(maxAbs ?? accMax, accMax);
  const lo = -m;
  const hi = Math.min(m + 1, accMax);
  const thresholds = new Int32Array(c * nt);
  const negate: boolean[] = [];
  for (let o = 0; o < c; o++) {
    const ao = a[o]!;
    const bo = b[o]!;
    const sign: 1 | -1 = ao < 0 ? -1 : 1;
    negate.push(sign < 0);
    for (let k = 1; k <= nt; k++) {
      let t: number;
      if (ao === 0 || !Number.isFinite(ao)) {
        // constant channel: code is fixed; "always" -> lo, "never" -> hi
        t = codeOf(Number.isFinite(ao) ? Math.fround(bo) : NaN, aBits) >= k ? lo : hi;
      } else {
        t = smallestReaching(k, ao, bo, aBits, lo, hi, sign);
      }
      thresholds[o * nt + (k - 1)] = t;
    }
  }
  return { thresholds, negate };
}

/** Largest |acc| a layer can produce (same worst case as accumulatorBits in design.ts). */
export function maxAccumulator(info: LayerInfo): number {
  const l = info.layer as ComputeLayer;
  const wMax = l.wBits === 1 ? 1 : 2 ** (l.wBits - 1) - 1;
  const xMax = info.inBipolar ? 1 : 2 ** info.inBits - 1;
  return info.matrixW * wMax * xMax;
}

/** Convert tf weight layout to the IntModel layout [out][matrixW] (conv columns (ky, kx, ci); dense HWC). */
function toIntWeights(info: LayerInfo, wq: Float32Array, negate: boolean[] | null): Int8Array {
  const mh = info.matrixH;
  const mw = info.matrixW;
  const out = new Int8Array(mh * mw);
  // tf layout: conv [K][K][Ci][Co] = [(ky,kx,ci)][Co]; dense [in][out] — both [matrixW][matrixH] row-major
  for (let j = 0; j < mw; j++)
    for (let o = 0; o < mh; o++) {
      const v = wq[j * mh + o]!;
      out[o * mw + j] = negate?.[o] ? -v : v;
    }
  return out;
}

/** Export a trained QatModel as an IntModel. */
export function exportIntModel(model: QatModel, meta?: Record<string, unknown>): IntModel {
  const layers: IntLayer[] = model.layers.map((l) => {
    if (isQatPool(l)) return { kind: 'maxpool' };
    const info = l.info;
    const wq = tf.tidy(() => model.quantizedWeights(l)).dataSync() as Float32Array;
    if (info.isLast) return { kind: l.kind, weights: toIntWeights(info, wq, null), thresholds: null };
    const { a, b } = model.bnAffine(l);
    const av = a.dataSync() as Float32Array;
    const bv = b.dataSync() as Float32Array;
    a.dispose();
    b.dispose();
    const aBits = (info.layer as ComputeLayer).aBits ?? 1;
    const { thresholds, negate } = foldThresholds(av, bv, aBits, info.accBits, maxAccumulator(info));
    return { kind: l.kind, weights: toIntWeights(info, wq, negate), thresholds };
  });
  return { format: 'cosearch-intmodel', version: 1, design: model.design, layers, meta };
}
