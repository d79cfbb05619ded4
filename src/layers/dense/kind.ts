/**
 * Fully-connected layer: flattens its HWC input in raster order; MVAU with MW = inputs, MH = outFeatures, no window
 * generator (the RTL twin double-buffers its input vector: cs_dense.v). Cycles = NF * SF per image.
 */
import { mvauCost } from '../../core/cost/mvau.js';
import { noSwg } from '../../core/cost/swg.js';
import type { MemStyle } from '../../core/design.js';
import { checkComputeBits, divisors, matVec } from '../common.js';
import type { LayerKind } from '../types.js';

export interface DenseLayer {
  kind: 'dense';
  name?: string;
  outFeatures: number;
  wBits: number;
  aBits?: number;
  pe: number;
  simd: number;
  memStyle?: MemStyle;
}

export const KIND_DENSE = 2;

export const dense: LayerKind<DenseLayer> = {
  name: 'dense',
  code: KIND_DENSE,
  compute: true,
  spatial: false,
  analyze(l, a) {
    checkComputeBits(l, a);
    const s = a.inShape;
    return { outShape: { height: 1, width: 1, channels: l.outFeatures }, matrixW: s.height * s.width * s.channels, matrixH: l.outFeatures, outPixels: 1, flattens: true };
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
  cost(p, g, pe, simd, out) {
    mvauCost(p, g, pe, simd, out, true);
    noSwg(out);
    out.cycles = out.mvauCycles;
  },
  intForward(info, weights, val) {
    const acc = new Int32Array(info.matrixH);
    matVec(weights!, info.matrixW, info.matrixH, val, acc, 0);
    return acc;
  },
  hls: (e) => ({ partial: 'dense', consume: e.simd, innerWordBits: 0, summary: `dense ${e.matrixW} -> ${e.matrixH}` }),
  rtl: (e) => ({ partial: 'dense', cvElems: e.simd, params: { denseAW: clog2(2 * e.sf) } }),
};

export const clog2 = (n: number): number => Math.max(1, Math.ceil(Math.log2(Math.max(2, n))));
