/**
 * Helpers shared by the layer kinds (src/layers/<kind>/kind.ts): divisors, accumulator widths, the checks every
 * compute layer makes, and the integer dot products of a window.
 */
import { SUPPORTED_BITS, type DesignIssue, type LayerInfo, type MemStyle } from '../core/design.js';
import { mvauCost } from '../core/cost/mvau.js';
import { noSwg } from '../core/cost/swg.js';
import { addInputFifo, streamFifoDepth } from '../core/cost/stream.js';
import type { AnalyzeIn, LayerKind } from './types.js';

export const clog2 = (n: number): number => Math.max(1, Math.ceil(Math.log2(Math.max(2, n))));

/**
 * The parts of a kind that is an MVAU run on its input stream, once per pixel, without a window generator (dense:
 * one pixel of all inputs; pointwise and the 1x1 conv without padding: every pixel of Cin channels): SIMD divides MW,
 * cost = MVAU + the RTL twin's input store, one matrix-vector product per pixel, the dense control of the RTL twin.
 */
export const STREAM_MVAU: Pick<LayerKind, 'legalSimd' | 'window' | 'cost' | 'intForward' | 'rtl'> = {
  legalSimd: (info) => divisors(info.matrixW),
  window: () => ({ kernel: 1, padding: 0 }),
  cost(p, g, pe, simd, out) {
    mvauCost(p, g, pe, simd, out, true);
    noSwg(out);
    out.cycles = out.mvauCycles;
    // the MVAU reads the producer's (or a converter's) stream of SIMD-element words: sized to one input vector
    out.inWordElems = simd;
    addInputFifo(p, streamFifoDepth(g.mh / pe, g.mw / simd, true), simd * g.inBits, true, out);
  },
  intForward(info, weights, val) {
    const mw = info.matrixW;
    const mh = info.matrixH;
    const acc = new Int32Array(info.outPixels * mh);
    for (let q = 0; q < info.outPixels; q++) matVec(weights!, mw, mh, val.subarray(q * mw, (q + 1) * mw), acc, q * mh);
    return acc;
  },
  rtl: (e) => ({ partial: 'dense', cvElems: e.simd, params: { denseAW: clog2(2 * e.sf) } }),
};

/** The JSON fields every layer with weights has (conv, depthwise, pointwise, dense). */
export interface WeightedLayerFields {
  name?: string;
  wBits: number;
  /** output activation bits (omitted on the last compute layer: it emits logits) */
  aBits?: number;
  pe: number;
  simd: number;
  /** where weights live; 'auto' lets the model pick LUTRAM below a size threshold */
  memStyle?: MemStyle;
}

/** The parts of a LayerKind that are the same for every layer with weights (spread into the kind: PE divides MH). */
export const WEIGHTED = {
  compute: true,
  legalPe: (info: LayerInfo): number[] => divisors(info.matrixH),
  folding: (l: WeightedLayerFields): { pe: number; simd: number } => ({ pe: l.pe, simd: l.simd }),
  setFolding(l: WeightedLayerFields, pe: number, simd: number): void {
    l.pe = pe;
    l.simd = simd;
  },
  wBits: (l: WeightedLayerFields): number => l.wBits,
  aBits: (l: WeightedLayerFields): number | undefined => l.aBits,
  memStyle: (l: WeightedLayerFields): string | undefined => l.memStyle,
} as const;

export function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

/** Checks of a compute layer's bit widths (aBits is required on every compute layer but the last). */
export function checkComputeBits(l: { wBits: number; aBits?: number }, a: AnalyzeIn): void {
  const p = a.path;
  const bits = SUPPORTED_BITS as readonly number[];
  if (!a.isLast && l.aBits === undefined) a.issues.push({ jsonPath: `${p}/aBits`, message: 'aBits is required on every compute layer but the last', hint: 'set aBits to 1, 2, 3, 4 or 8' });
  if (!bits.includes(l.wBits)) a.issues.push({ jsonPath: `${p}/wBits`, message: `wBits ${l.wBits} is not supported`, hint: `use one of ${SUPPORTED_BITS.join(', ')}` });
  if (l.aBits !== undefined && !bits.includes(l.aBits)) a.issues.push({ jsonPath: `${p}/aBits`, message: `aBits ${l.aBits} is not supported`, hint: `use one of ${SUPPORTED_BITS.join(', ')}` });
}

/** A spatial layer after a flattening one. */
export function checkSpatial(name: string, a: AnalyzeIn, hint?: string): void {
  if (a.flat) a.issues.push({ jsonPath: a.path, message: `${name} layer after a dense layer`, ...(hint ? { hint } : {}) });
}

/** Output size of a stride-1 window with zero padding; reports kernels that do not fit. */
export function windowOut(kernel: number, padding: number, a: AnalyzeIn, stride?: number): { h: number; w: number } {
  const p = a.path;
  if (stride !== undefined && stride !== 1) a.issues.push({ jsonPath: `${p}/stride`, message: `stride ${stride} is not supported`, hint: 'use stride 1 and a maxpool layer to downsample' });
  const oh = a.inShape.height + 2 * padding - kernel + 1;
  const ow = a.inShape.width + 2 * padding - kernel + 1;
  if (oh < 1 || ow < 1) a.issues.push({ jsonPath: `${p}/kernel`, message: `kernel ${kernel} with padding ${padding} does not fit the ${a.inShape.height}x${a.inShape.width} input of this layer`, hint: 'use a smaller kernel, more padding, or fewer pooling layers before it' });
  if (padding >= kernel) a.issues.push({ jsonPath: `${p}/padding`, message: `padding ${padding} must be smaller than the kernel ${kernel}` });
  return { h: Math.max(oh, 0), w: Math.max(ow, 0) };
}

/** Input value at (iy, ix, c) of an HWC tensor, or the padding value outside. */
export function pixelValue(val: Int32Array, ih: number, iw: number, ic: number, iy: number, ix: number, c: number, padVal: number): number {
  return iy >= 0 && iy < ih && ix >= 0 && ix < iw ? val[(iy * iw + ix) * ic + c]! : padVal;
}

/** acc[o] = sum_t W[o][t] * col[t] for every output o (weights [MH][MW] row-major), written at acc[base + o]. */
export function matVec(weights: Int8Array, mw: number, mh: number, col: ArrayLike<number>, acc: Int32Array, base: number): void {
  for (let o = 0; o < mh; o++) {
    let s = 0;
    const wrow = o * mw;
    for (let t = 0; t < mw; t++) s += weights[wrow + t]! * col[t]!;
    acc[base + o] = s;
  }
}

export type { DesignIssue, LayerInfo };
