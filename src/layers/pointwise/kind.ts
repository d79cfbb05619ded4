/**
 * 1x1 pointwise convolution without a sliding window (the second half of a depthwise-separable block, MobileNet,
 * Howard et al. 2017): every output pixel is a matrix-vector product of the pixel's Cin channels, MW = Cin,
 * MH = outChannels, cycles = outPixels * NF * SF. The input stream already is the MVAU's input (SIMD channels per
 * word), so there is no window generator in the cost model, the HLS project (mvau with REPS = pixels) or the RTL twin
 * (cs_dense.v once per pixel). A `conv` with kernel 1 and padding 0 is the same hardware (src/layers/conv uses these
 * functions then).
 */
import { mvauCost } from '../../core/cost/mvau.js';
import { noSwg } from '../../core/cost/swg.js';
import type { MemStyle } from '../../core/design.js';
import { checkComputeBits, checkSpatial, divisors, matVec } from '../common.js';
import { clog2 } from '../dense/kind.js';
import type { LayerKind } from '../types.js';

export interface PointwiseLayer {
  kind: 'pointwise';
  name?: string;
  outChannels: number;
  wBits: number;
  aBits?: number;
  pe: number;
  simd: number;
  memStyle?: MemStyle;
}

export const KIND_POINTWISE = 3;

export const pointwise: LayerKind<PointwiseLayer> = {
  name: 'pointwise',
  code: KIND_POINTWISE,
  compute: true,
  spatial: true,
  analyze(l, a) {
    checkSpatial('pointwise', a, 'put all conv, depthwise, pointwise and maxpool layers before the dense layers');
    checkComputeBits(l, a);
    const s = a.inShape;
    return { outShape: { height: s.height, width: s.width, channels: l.outChannels }, matrixW: s.channels, matrixH: l.outChannels, outPixels: s.height * s.width, flattens: false };
  },
  legalPe: (info) => divisors(info.matrixH),
  legalSimd: (info) => divisors(info.matrixW),
  folding: (l) => ({ pe: l.pe, simd: l.simd }),
  setFolding(l, pe, simd) {
    l.pe = pe;
    l.simd = simd;
  },
  wBits: (l) => l.wBits,
  aBits: (l) => l.aBits,
  memStyle: (l) => l.memStyle,
  window: () => ({ kernel: 1, padding: 0 }),
  cost: pointwiseCost,
  intForward: pointwiseForward,
  hls: (e) => ({ partial: 'dense', consume: e.simd, innerWordBits: 0, summary: `pointwise 1x1: ${e.inH}x${e.inW}x${e.inC} -> ${e.outH}x${e.outW}x${e.outC}` }),
  rtl: pointwiseRtl,
};

/** Cost of a layer that is an MVAU run once per pixel on its input stream (no window generator). */
export function pointwiseCost(...args: Parameters<LayerKind['cost']>): void {
  const [p, g, pe, simd, out] = args;
  mvauCost(p, g, pe, simd, out, true);
  noSwg(out);
  out.cycles = out.mvauCycles;
}

/** Integer reference of a 1x1 convolution: one matrix-vector product per pixel. */
export function pointwiseForward(...args: Parameters<LayerKind['intForward']>): Int32Array {
  const [info, weights, val] = args;
  const mw = info.matrixW;
  const mh = info.matrixH;
  const acc = new Int32Array(info.outPixels * mh);
  for (let q = 0; q < info.outPixels; q++) matVec(weights!, mw, mh, val.subarray(q * mw, (q + 1) * mw), acc, q * mh);
  return acc;
}

export function pointwiseRtl(...args: Parameters<LayerKind['rtl']>): ReturnType<LayerKind['rtl']> {
  const [e] = args;
  return { partial: 'dense', cvElems: e.simd, params: { denseAW: clog2(2 * e.sf) } };
}
