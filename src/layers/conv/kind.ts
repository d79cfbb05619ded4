/**
 * Stride-1 k x k convolution with zero padding: a sliding-window generator (SWG) in front of an MVAU with
 * MW = K*K*Cin (columns ordered (ky, kx, ci)), MH = outChannels; cycles = max(SWG, outPixels * NF * SF).
 * A 1x1 kernel without padding has no window: it is the pointwise layer (src/layers/pointwise) in the cost model,
 * the HLS project and the RTL twin alike (src/layers/common.ts STREAM_MVAU).
 */
import { mvauCost } from '../../core/cost/mvau.js';
import { addSwg } from '../../core/cost/swg.js';
import { addInputFifo, streamFifoDepth } from '../../core/cost/stream.js';
import { STREAM_MVAU, checkComputeBits, clog2, checkSpatial, divisors, pixelValue, WEIGHTED, type WeightedLayerFields, windowOut } from '../common.js';
import { KIND_CONV } from '../codes.js';
import type { EmitLayer, LayerKind } from '../types.js';

export interface ConvLayer extends WeightedLayerFields {
  kind: 'conv';
  outChannels: number;
  kernel: number;
  /** zero padding on each side (code 0) */
  padding: number;
  /** only 1 is supported; present for clarity */
  stride?: 1;
}

export { KIND_CONV };

/** A 1x1 window without padding: no window generator. */
export const noWindow = (kernel: number, padding: number): boolean => kernel === 1 && padding === 0;

export const conv: LayerKind<ConvLayer> = {
  name: 'conv',
  code: KIND_CONV,
  ...WEIGHTED,
  spatial: true,
  analyze(l, a) {
    checkSpatial('conv', a, 'put all conv and maxpool layers before the dense layers');
    const o = windowOut(l.kernel, l.padding, a, l.stride);
    checkComputeBits(l, a);
    return { outShape: { height: o.h, width: o.w, channels: l.outChannels }, matrixW: l.kernel * l.kernel * a.inShape.channels, matrixH: l.outChannels, outPixels: o.h * o.w, flattens: false };
  },
  /**
   * Divisors of K*K*Cin that keep every SIMD word inside one pixel or made of whole pixels: SIMD divides Cin, or
   * SIMD = Cin * m with m dividing K*K (the window generator then emits whole pixels, which the HLS library and the
   * RTL twin both rely on).
   */
  legalSimd(info) {
    const cin = info.inShape.channels;
    const k2 = (info.layer as ConvLayer).kernel ** 2;
    const set = new Set<number>(divisors(cin));
    for (const m of divisors(k2)) set.add(cin * m);
    return [...set].sort((a, b) => a - b);
  },
  window: (l) => ({ kernel: l.kernel, padding: l.padding }),
  cost(p, g, pe, simd, out) {
    if (noWindow(g.kernel, g.padding)) return STREAM_MVAU.cost(p, g, pe, simd, out);
    mvauCost(p, g, pe, simd, out, false);
    addSwg(p, g, simd, g.mw, out);
    // the window generator reads pixels of Cin elements; its output stream (SIMD words) is sized to one window
    out.inWordElems = g.inC;
    addInputFifo(p, streamFifoDepth(g.mh / pe, g.mw / simd, true), simd * g.inBits, false, out);
  },
  intForward(info, weights, val, codes, padVal) {
    const l = info.layer as ConvLayer;
    if (noWindow(l.kernel, l.padding)) return STREAM_MVAU.intForward(info, weights, val, codes, padVal);
    const { height: ih, width: iw, channels: ic } = info.inShape;
    const { height: oh, width: ow } = info.outShape;
    const k = l.kernel;
    const mw = info.matrixW;
    const mh = info.matrixH;
    const acc = new Int32Array(info.outPixels * mh);
    const col = new Int32Array(mw);
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        let j = 0;
        for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) for (let c = 0; c < ic; c++) col[j++] = pixelValue(val, ih, iw, ic, oy + ky - l.padding, ox + kx - l.padding, c, padVal);
        const base = (oy * ow + ox) * mh;
        for (let o = 0; o < mh; o++) {
          let s = 0;
          for (let t = 0; t < mw; t++) s += weights![o * mw + t]! * col[t]!;
          acc[base + o] = s;
        }
      }
    return acc;
  },
  hls(e) {
    const summary = `conv ${e.kernel}x${e.kernel} pad ${e.padding}: ${e.inH}x${e.inW}x${e.inC} -> ${e.outH}x${e.outW}x${e.outC}`;
    if (noWindow(e.kernel, e.padding)) return { partial: 'dense', consume: e.simd, innerWordBits: 0, summary };
    return { partial: 'conv', consume: e.inC, innerWordBits: e.simd * e.inBits, summary };
  },
  rtl(e) {
    if (noWindow(e.kernel, e.padding)) return STREAM_MVAU.rtl(e);
    return { partial: 'conv', cvElems: e.inC, params: swgParams(e, e.simd > e.inC ? e.simd / e.inC : 1, e.simd <= e.inC ? e.inC / e.simd : 1) };
  },
};

/** Parameters of the RTL window control (cs_conv.v): M pixel copies, CPP chunks per pixel, ring of 2^RB rows. */
export function swgParams(e: EmitLayer, m: number, cpp: number): Record<string, number> {
  const rb = Math.ceil(Math.log2(e.kernel + 1));
  return { swgM: m, swgCPP: cpp, swgKG: (e.kernel * e.kernel) / m, swgRB: rb, swgAW: clog2((1 << rb) * e.inW) };
}
