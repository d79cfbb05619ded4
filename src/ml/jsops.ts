/**
 * Fused "kernels" written in plain JavaScript over tensor memory, for the memory-bound part of a QAT step:
 * max-pool + batch norm + activation quantizer (forward) and their gradients (backward) in one or two passes,
 * where the equivalent chain of TF.js ops costs ~25 kernel launches and (on wasm) a slow generic MaxPoolGrad.
 * On the wasm backend the kernels read and write the wasm heap directly (no copies); on other backends they go
 * through dataSync()/tf.tensor() copies.
 *
 * Batch norm: Ioffe & Szegedy 2015 (training: batch statistics, population variance; backward in closed form).
 */
import * as tf from '@tensorflow/tfjs-core';
import { actQmax } from './quant.js';

interface WasmLike {
  makeOutput(shape: number[], dtype: tf.DataType): { dataId: object; shape: number[]; dtype: tf.DataType };
  typedArrayFromHeap(t: { shape: number[]; dtype: tf.DataType; dataId: object }): Float32Array;
  dataIdMap: { has(id: object): boolean };
}

function wasmBackend(): WasmLike | null {
  if (tf.getBackend() !== 'wasm') return null;
  const be = tf.backend() as unknown as WasmLike;
  return typeof be.makeOutput === 'function' && typeof be.typedArrayFromHeap === 'function' ? be : null;
}

/**
 * Run a JS computation producing new float32 tensors of the given shapes from input tensors. `compute` gets the
 * input arrays and the output arrays (views into the wasm heap on wasm: valid only during the call).
 */
export function jsKernel(inputs: tf.Tensor[], outShapes: number[][], compute: (ins: Float32Array[], outs: Float32Array[]) => void): tf.Tensor[] {
  const be = wasmBackend();
  if (be && inputs.every((t) => t.dtype === 'float32' && be.dataIdMap.has(t.dataId))) {
    const infos = outShapes.map((s) => be.makeOutput(s, 'float32'));
    // views after all allocations (allocation may grow and move the heap)
    const outs = infos.map((i) => be.typedArrayFromHeap(i));
    const ins = inputs.map((t) => be.typedArrayFromHeap(t as unknown as { shape: number[]; dtype: tf.DataType; dataId: object }));
    compute(ins, outs);
    return infos.map((i) => tf.engine().makeTensorFromTensorInfo(i as never));
  }
  const ins = inputs.map((t) => t.dataSync() as Float32Array);
  const outs = outShapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)));
  compute(ins, outs);
  return outs.map((o, i) => tf.tensor(o, outShapes[i]!));
}

/** Saved state of a fused forward pass, for the backward pass. */
export interface BnActCache {
  /** input (pre-pool) shape [N, H, W, C] or [N, C] */
  inShape: number[];
  /** pooled shape */
  outShape: number[];
  /** argmax input index of each pooled element (null when there is no pool) */
  arg: Int32Array | null;
  xhat: Float32Array;
  /** STE pass mask of the activation quantizer */
  mask: Uint8Array;
  geff: Float64Array;
  inv: Float64Array;
  /** elements per channel */
  m: number;
  /** batch statistics (population variance) */
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * Forward of [max-pool k (k = 0: none)] -> BN -> activation quantizer.
 * Training (`stats` null): batch statistics; returns the output tensor and the cache.
 * Inference (`affine` given): z = fl(fl(x * a) + b) with the float32 per-channel a, b (bit-exact with export).
 */
export function poolBnActForward(
  x: tf.Tensor,
  k: number,
  aBits: number,
  p: { gamma: Float32Array; beta: Float32Array; absGamma: boolean; eps: number } | null,
  affine: { a: Float32Array; b: Float32Array } | null,
): { y: tf.Tensor; cache: BnActCache | null } {
  const inShape = x.shape.slice();
  const c = inShape[inShape.length - 1]!;
  let outShape: number[];
  if (k > 0) {
    const [n, h, w] = inShape as [number, number, number, number];
    outShape = [n, Math.floor(h / k), Math.floor(w / k), c];
  } else outShape = inShape.slice();
  const total = outShape.reduce((a, b) => a * b, 1);
  const m = total / c;
  const qmax = aBits === 1 ? 1 : actQmax(aBits);
  let cache: BnActCache | null = null;
  const [y] = jsKernel([x], [outShape], ([src], [out]) => {
    // pooled values (or the input itself)
    let pooled: Float32Array;
    let arg: Int32Array | null = null;
    if (k > 0) {
      pooled = new Float32Array(total);
      arg = new Int32Array(total);
      maxPoolArg(src!, inShape[0]!, inShape[1]!, inShape[2]!, c, k, pooled, arg);
    } else pooled = src!;
    if (affine) {
      applyAffineQuant(pooled, affine.a, affine.b, c, aBits, qmax, out!);
      return;
    }
    const { gamma, beta, absGamma, eps } = p!;
    const sum = new Float64Array(c);
    const sq = new Float64Array(c);
    channelSums(pooled, c, sum, sq);
    const mean = new Float64Array(c);
    const variance = new Float64Array(c);
    const inv = new Float64Array(c);
    const geff = new Float64Array(c);
    for (let ch = 0; ch < c; ch++) {
      mean[ch] = sum[ch]! / m;
      variance[ch] = Math.max(sq[ch]! / m - mean[ch]! * mean[ch]!, 0);
      inv[ch] = 1 / Math.sqrt(variance[ch]! + eps);
      geff[ch] = absGamma ? Math.abs(gamma[ch]!) : gamma[ch]!;
    }
    const xhat = new Float32Array(total);
    const mask = new Uint8Array(total);
    bnQuantTrain(pooled, c, mean, inv, geff, beta, aBits, qmax, xhat, mask, out!);
    cache = { inShape, outShape, arg, xhat, mask, geff, inv, m, mean, variance };
  });
  return { y: y!, cache };
}

/**
 * Backward of poolBnActForward (training mode): dy (w.r.t. the layer output) -> d input (pre-pool; the gradient
 * goes to the argmax of each window), dgamma (w.r.t. the gamma parameter: |gamma| when absGamma), dbeta.
 * `layout` 'channel-major' returns d input as [C, pixels] (the transpose of the [pixels, C] rows of the input
 * shape), written directly: the im2col filter gradient of a first layer wants it so (src/ml/conv.ts
 * im2colFilterGradient), and a separate transpose of it costs about as much as that product on wasm.
 */
export function poolBnActBackward(dy: tf.Tensor, cache: BnActCache, gamma: Float32Array, absGamma: boolean, layout: 'nhwc' | 'channel-major' = 'nhwc'): { dx: tf.Tensor; dgamma: Float32Array; dbeta: Float32Array } {
  const c = cache.outShape[cache.outShape.length - 1]!;
  const total = cache.xhat.length;
  const m = cache.m;
  const dgamma = new Float32Array(c);
  const dbeta = new Float32Array(c);
  const pixelsIn = cache.inShape.reduce((a, b) => a * b, 1) / c;
  const cm = layout === 'channel-major';
  const [dx] = jsKernel([dy], [cm ? [c, pixelsIn] : cache.inShape], ([g], [out]) => {
    const { xhat, mask, geff, inv, arg } = cache;
    const sdz = new Float64Array(c);
    const sdzx = new Float64Array(c);
    maskedSums(g!, mask, xhat, c, sdz, sdzx);
    const scale = new Float64Array(c);
    const mb = new Float64Array(c);
    const mg = new Float64Array(c);
    for (let ch = 0; ch < c; ch++) {
      dbeta[ch] = sdz[ch]!;
      dgamma[ch] = absGamma ? sdzx[ch]! * Math.sign(gamma[ch]!) : sdzx[ch]!;
      scale[ch] = geff[ch]! * inv[ch]!;
      mb[ch] = sdz[ch]! / m;
      mg[ch] = sdzx[ch]! / m;
    }
    if (arg) {
      out!.fill(0);
      if (cm) bnBackwardScatterCM(g!, mask, xhat, c, scale, mb, mg, arg, pixelsIn, out!);
      else bnBackwardScatter(g!, mask, xhat, c, scale, mb, mg, arg, out!);
    } else if (cm) bnBackwardCM(g!, mask, xhat, c, scale, mb, mg, out!);
    else bnBackward(g!, mask, xhat, c, scale, mb, mg, out!);
  });
  return { dx: dx!, dgamma, dbeta };
}

// ---- monomorphic hot loops (kept as small top-level functions so V8 optimises them well) ----

function maxPoolArg(src: Float32Array, n: number, h: number, w: number, c: number, k: number, pooled: Float32Array, arg: Int32Array): void {
  const oh = Math.floor(h / k);
  const ow = Math.floor(w / k);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        const pb = ((b * oh + oy) * ow + ox) * c;
        const i0 = ((b * h + oy * k) * w + ox * k) * c;
        for (let ch = 0; ch < c; ch++) {
          pooled[pb + ch] = src[i0 + ch]!;
          arg[pb + ch] = i0 + ch;
        }
        for (let ky = 0; ky < k; ky++)
          for (let kx = 0; kx < k; kx++) {
            if (ky === 0 && kx === 0) continue;
            const ib = ((b * h + oy * k + ky) * w + ox * k + kx) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = src[ib + ch]!;
              if (v > pooled[pb + ch]!) {
                pooled[pb + ch] = v;
                arg[pb + ch] = ib + ch;
              }
            }
          }
      }
}

function applyAffineQuant(x: Float32Array, a: Float32Array, b: Float32Array, c: number, aBits: number, qmax: number, out: Float32Array): void {
  const total = x.length;
  for (let i = 0; i < total; i += c)
    for (let ch = 0; ch < c; ch++) {
      const z = Math.fround(Math.fround(x[i + ch]! * a[ch]!) + b[ch]!);
      let v: number;
      if (aBits === 1) v = z >= 0 ? 1 : -1;
      else {
        v = Math.floor(Math.fround(z + 0.5));
        v = v < 0 ? 0 : v > qmax ? qmax : v;
      }
      out[i + ch] = v;
    }
}

function channelSums(x: Float32Array, c: number, sum: Float64Array, sq: Float64Array): void {
  const total = x.length;
  for (let i = 0; i < total; i += c)
    for (let ch = 0; ch < c; ch++) {
      const v = x[i + ch]!;
      sum[ch] += v;
      sq[ch] += v * v;
    }
}

function bnQuantTrain(x: Float32Array, c: number, mean: Float64Array, inv: Float64Array, geff: Float64Array, beta: Float32Array, aBits: number, qmax: number, xhat: Float32Array, mask: Uint8Array, out: Float32Array): void {
  const total = x.length;
  const lo = aBits === 1 ? -1 : -0.5;
  const hi = aBits === 1 ? 1 : qmax + 0.5;
  for (let i = 0; i < total; i += c)
    for (let ch = 0; ch < c; ch++) {
      const xh = (x[i + ch]! - mean[ch]!) * inv[ch]!;
      xhat[i + ch] = xh;
      const z = geff[ch]! * xh + beta[ch]!;
      mask[i + ch] = z >= lo && z <= hi ? 1 : 0;
      let v: number;
      if (aBits === 1) v = z >= 0 ? 1 : -1;
      else {
        v = Math.floor(z + 0.5);
        v = v < 0 ? 0 : v > qmax ? qmax : v;
      }
      out[i + ch] = v;
    }
}

function maskedSums(g: Float32Array, mask: Uint8Array, xhat: Float32Array, c: number, sdz: Float64Array, sdzx: Float64Array): void {
  const total = xhat.length;
  for (let i = 0; i < total; i += c)
    for (let ch = 0; ch < c; ch++) {
      if (mask[i + ch] === 0) continue;
      const dz = g[i + ch]!;
      sdz[ch] += dz;
      sdzx[ch] += dz * xhat[i + ch]!;
    }
}

function bnBackward(g: Float32Array, mask: Uint8Array, xhat: Float32Array, c: number, scale: Float64Array, mb: Float64Array, mg: Float64Array, out: Float32Array): void {
  const total = xhat.length;
  for (let i = 0; i < total; i += c)
    for (let ch = 0; ch < c; ch++) {
      const dz = mask[i + ch] === 0 ? 0 : g[i + ch]!;
      out[i + ch] = scale[ch]! * (dz - mb[ch]! - xhat[i + ch]! * mg[ch]!);
    }
}

function bnBackwardScatter(g: Float32Array, mask: Uint8Array, xhat: Float32Array, c: number, scale: Float64Array, mb: Float64Array, mg: Float64Array, arg: Int32Array, out: Float32Array): void {
  const total = xhat.length;
  for (let i = 0; i < total; i += c)
    for (let ch = 0; ch < c; ch++) {
      const dz = mask[i + ch] === 0 ? 0 : g[i + ch]!;
      out[arg[i + ch]!] = scale[ch]! * (dz - mb[ch]! - xhat[i + ch]! * mg[ch]!);
    }
}

/** bnBackward writing [C, pixels] */
function bnBackwardCM(g: Float32Array, mask: Uint8Array, xhat: Float32Array, c: number, scale: Float64Array, mb: Float64Array, mg: Float64Array, out: Float32Array): void {
  const pixels = xhat.length / c;
  for (let p = 0, i = 0; p < pixels; p++, i += c)
    for (let ch = 0; ch < c; ch++) {
      const dz = mask[i + ch] === 0 ? 0 : g[i + ch]!;
      out[ch * pixels + p] = scale[ch]! * (dz - mb[ch]! - xhat[i + ch]! * mg[ch]!);
    }
}

/** bnBackwardScatter writing [C, input pixels]: the argmax index a = pixel * c + ch becomes ch * pixelsIn + pixel */
function bnBackwardScatterCM(g: Float32Array, mask: Uint8Array, xhat: Float32Array, c: number, scale: Float64Array, mb: Float64Array, mg: Float64Array, arg: Int32Array, pixelsIn: number, out: Float32Array): void {
  const total = xhat.length;
  for (let i = 0; i < total; i += c)
    for (let ch = 0; ch < c; ch++) {
      const dz = mask[i + ch] === 0 ? 0 : g[i + ch]!;
      out[ch * pixelsIn + (arg[i + ch]! - ch) / c] = scale[ch]! * (dz - mb[ch]! - xhat[i + ch]! * mg[ch]!);
    }
}
