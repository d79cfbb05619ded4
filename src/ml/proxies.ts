/**
 * Zero-cost (training-free) accuracy proxies, computed in TF.js forward passes of the randomly initialised
 * network on a real batch of images:
 *
 * - NASWOT activation-pattern score (Mellor, Turner, Storkey, Crowley, "Neural Architecture Search without
 *   Training", ICML 2021): every image gets a binary code c_i (1 where a hidden unit's pre-activation is
 *   positive, i.e. where its ReLU / quantizer is "on"); the kernel K_H[i][j] = N_A - Hamming(c_i, c_j) counts
 *   the units on which two images agree, and the score is log|det K_H|. Networks that separate the images of
 *   a batch into distinct patterns score higher.
 * - TE-NAS-style linear-region count (Chen, Gong, Wang, "Neural Architecture Search on ImageNet in Four GPU
 *   Hours: A Theoretically Inspired Perspective", ICLR 2021, which counts the distinct activation patterns
 *   (linear regions) a ReLU network cuts its input into). Over a batch of images all patterns are usually
 *   distinct, so we count along 1-D trajectories instead (as in Hanin & Rolnick, "Complexity of linear
 *   regions in deep networks", ICML 2019): for pairs of real images we sample points on the segment between
 *   them and count how many distinct regions the segment crosses (pattern changes + 1), averaged over pairs.
 *
 * Both are computed on a float version of the design (He-initialised weights from a seeded RNG, per-channel
 * batch standardisation standing in for batch norm, ReLU); bit widths enter the predictor through the encoding
 * and the cheap features. Deterministic for a given seed, batch and backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { isCompute, layerInfos, type Design, type LayerInfo } from '../core/design.js';
import { tfLinear, tfPool } from '../layers/registry-tf.js';
import { Rng } from '../core/rng.js';
import type { Dataset } from './datasets.js';

export interface ProxyScores {
  /** NASWOT log|K_H| */
  naswot: number;
  /** mean number of linear regions crossed by a segment between two real images */
  linearRegions: number;
  /** total hidden units contributing codes */
  units: number;
}

export interface ProxyBatch {
  /** NASWOT batch, [n, H, W, C] floats in [0, 1] */
  images: tf.Tensor4D;
  /** trajectory points, [pairs * steps, H, W, C] */
  paths: tf.Tensor4D;
  pairs: number;
  steps: number;
}

/** Proxy batch size (images) and trajectory sampling; fixed so scores are comparable across runs. */
export const PROXY_BATCH = 32;
export const PROXY_PAIRS = 2;
export const PROXY_STEPS = 16;

/** Build the fixed proxy batch from a dataset (seeded choice of images). Dispose with disposeProxyBatch. */
export function makeProxyBatch(ds: Dataset, seed = 1, n = PROXY_BATCH, pairs = PROXY_PAIRS, steps = PROXY_STEPS): ProxyBatch {
  const rng = new Rng(seed);
  const px = ds.height * ds.width * ds.channels;
  // distinct images (a duplicate would make K_H singular)
  const need = n + 2 * pairs;
  if (ds.count < need) throw new Error(`proxy batch needs ${need} images, the dataset has ${ds.count}`);
  const order = rng.shuffle(Array.from({ length: ds.count }, (_, i) => i));
  let next = 0;
  const pick = (): number => order[next++]!;
  const img = new Float32Array(n * px);
  for (let i = 0; i < n; i++) {
    const s = pick();
    for (let j = 0; j < px; j++) img[i * px + j] = ds.images[s * px + j]! / 255;
  }
  const path = new Float32Array(pairs * steps * px);
  for (let p = 0; p < pairs; p++) {
    const a = pick();
    const b = pick();
    for (let t = 0; t < steps; t++) {
      const u = t / (steps - 1);
      const o = (p * steps + t) * px;
      for (let j = 0; j < px; j++) path[o + j] = ((1 - u) * ds.images[a * px + j]! + u * ds.images[b * px + j]!) / 255;
    }
  }
  const shape = [ds.height, ds.width, ds.channels] as const;
  return {
    images: tf.tensor4d(img, [n, ...shape]),
    paths: tf.tensor4d(path, [pairs * steps, ...shape]),
    pairs,
    steps,
  };
}

export function disposeProxyBatch(b: ProxyBatch): void {
  b.images.dispose();
  b.paths.dispose();
}

interface FloatLayer {
  info: LayerInfo;
  /** weights in the kind's tf layout (none for a pool) */
  w?: tf.Tensor;
  last: boolean;
}

function heWeights(rng: Rng, fanIn: number, count: number): Float32Array {
  const s = Math.sqrt(2 / fanIn);
  const w = new Float32Array(count);
  for (let i = 0; i < count; i++) w[i] = rng.normal() * s;
  return w;
}

function buildFloat(design: Design, seed: number): FloatLayer[] {
  const rng = new Rng(seed);
  return layerInfos(design).map((info) => {
    if (!isCompute(info.layer)) return { info, last: false };
    const w = tf.tensor(heWeights(rng, info.matrixW, info.matrixW * info.matrixH), tfLinear(info.kind).weightShape(info));
    return { info, w, last: info.isLast };
  });
}

/** Forward pass returning the binary codes [batch, units] (1 = pre-activation > 0) of all hidden layers. */
function codes(layers: FloatLayer[], x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    let h: tf.Tensor = x;
    const parts: tf.Tensor2D[] = [];
    const b = x.shape[0];
    for (const l of layers) {
      if (!l.w) {
        h = tfPool(l.info.kind).forward(h, l.info);
        continue;
      }
      h = tfLinear(l.info.kind).forward(h, l.w, l.info, 0).acc;
      if (l.last) break;
      // batch standardisation per channel (stands in for batch norm at initialisation)
      const axes = h.rank === 4 ? [0, 1, 2] : [0];
      const { mean, variance } = tf.moments(h, axes);
      h = tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5)));
      parts.push(tf.reshape(tf.cast(tf.greater(h, 0), 'float32'), [b, -1]) as tf.Tensor2D);
      h = tf.relu(h);
    }
    return tf.concat(parts, 1) as tf.Tensor2D;
  });
}

/** log|det| of a symmetric matrix (row-major n x n) by LU with partial pivoting in float64. */
export function logAbsDet(m: Float64Array, n: number): number {
  const a = Float64Array.from(m);
  let s = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[p * n + c]!)) p = r;
    const piv = a[p * n + c]!;
    if (piv === 0) return -Infinity;
    if (p !== c) for (let k = 0; k < n; k++) [a[c * n + k], a[p * n + k]] = [a[p * n + k]!, a[c * n + k]!];
    s += Math.log(Math.abs(piv));
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c]! / piv;
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r * n + k]! -= f * a[c * n + k]!;
    }
  }
  return s;
}

/** Compute the proxies of a design on a proxy batch. The weights come from `seed`. */
export function computeProxies(design: Design, batch: ProxyBatch, seed = 1): ProxyScores {
  const layers = buildFloat(design, seed);
  try {
    // NASWOT: K = C C^T + (1 - C)(1 - C)^T
    const k = tf.tidy(() => {
      const c = codes(layers, batch.images);
      const nc = tf.sub(1, c);
      return tf.add(tf.matMul(c, c, false, true), tf.matMul(nc, nc, false, true));
    });
    const n = batch.images.shape[0];
    const kv = Float64Array.from(k.dataSync());
    k.dispose();
    const naswot = logAbsDet(kv, n);
    // linear regions along trajectories
    const pc = codes(layers, batch.paths);
    const nUnits = pc.shape[1];
    const bits = pc.dataSync();
    pc.dispose();
    // along a finely sampled segment every flip of a unit's code is one crossing of that unit's boundary
    // hyperplane; regions crossed = 1 + number of crossings (crossings at the same sample point are counted
    // separately, which is what a finer sampling would resolve)
    let regions = 0;
    for (let p = 0; p < batch.pairs; p++) {
      let r = 1;
      for (let t = 1; t < batch.steps; t++) {
        const a = (p * batch.steps + t - 1) * nUnits;
        const b = (p * batch.steps + t) * nUnits;
        for (let j = 0; j < nUnits; j++) if (bits[a + j] !== bits[b + j]) r++;
      }
      regions += r;
    }
    return { naswot: Number.isFinite(naswot) ? naswot : 0, linearRegions: regions / batch.pairs, units: nUnits };
  } finally {
    for (const l of layers) l.w?.dispose();
  }
}

export const PROXY_FEATURE_NAMES = ['naswot', 'linearRegions'] as const;

/** Proxies as predictor features (normalised by the fixed batch geometry). */
export function proxyFeatureVector(p: ProxyScores, batchSize = PROXY_BATCH, steps = PROXY_STEPS): number[] {
  // log|K_H| <= n * log(N_A); scale by the batch size so the value is O(1..10)
  void steps;
  return [p.naswot / batchSize / 10, Math.log2(1 + p.linearRegions) / 16];
}
