/**
 * Depthwise k x k convolution (one filter per channel; MobileNet, Howard et al. 2017), computed like FINN's
 * vector-vector-activation unit (VVAU): PE channels in parallel, each PE multiplies its own channel's window with
 * its own filter, one kernel position per cycle (SIMD = 1). MW = K*K (the filter of one channel, (ky, kx) order),
 * MH = channels; NF = C/PE channel groups, SF = K*K. Cycles = outPixels * NF * SF, the MVAU formula.
 * The window generator emits, per output pixel, for every channel group nf the K*K positions of its PE channels
 * (words of PE elements): the SWG of a conv with word = PE channels, in (nf, ky, kx) order (hls/cs_swg.hpp DW,
 * templates/rtl/lib/cs_conv.v DW). Weights: PE p holds at nf*SF + sf the weight of channel nf*PE + p at position sf.
 */
import { mvauCost } from '../../core/cost/mvau.js';
import { addSwg } from '../../core/cost/swg.js';
import { addInputFifo, streamFifoDepth } from '../../core/cost/stream.js';
import { checkComputeBits, checkSpatial, divisors, pixelValue, WEIGHTED, type WeightedLayerFields, windowOut } from '../common.js';
import { swgParams } from '../conv/kind.js';
import { KIND_DEPTHWISE } from '../codes.js';
import type { LayerKind } from '../types.js';

/** SIMD (kernel positions per cycle) is 1; PE channels in parallel (divides the channels). */
export interface DepthwiseLayer extends WeightedLayerFields {
  kind: 'depthwise';
  kernel: number;
  /** zero padding on each side (code 0) */
  padding: number;
}

export { KIND_DEPTHWISE };

export const depthwise: LayerKind<DepthwiseLayer> = {
  name: 'depthwise',
  code: KIND_DEPTHWISE,
  ...WEIGHTED,
  spatial: true,
  slowQatMacs: true,
  analyze(l, a) {
    checkSpatial('depthwise', a, 'put all conv, depthwise, pointwise and maxpool layers before the dense layers');
    const o = windowOut(l.kernel, l.padding, a);
    checkComputeBits(l, a);
    const c = a.inShape.channels;
    return { outShape: { height: o.h, width: o.w, channels: c }, matrixW: l.kernel * l.kernel, matrixH: c, outPixels: o.h * o.w, flattens: false };
  },
  legalSimd: () => [1],
  window: (l) => ({ kernel: l.kernel, padding: l.padding }),
  cost(p, g, pe, _simd, out) {
    // PE lanes of one product each: the MVAU datapath with SIMD = 1 per PE, its own control constants
    mvauCost(p, g, pe, 1, out, false);
    out.computeLuts += p.vvauBaseLuts - p.mvauBaseLuts;
    out.lut += p.vvauBaseLuts - p.mvauBaseLuts;
    out.ff += p.vvauBaseFfs - p.mvauBaseFfs;
    // window generator with words of PE channels over the K*K*C window of each pixel
    addSwg(p, g, pe, g.kernel * g.kernel * g.inC, out);
    // the VVAU reads a word every cycle (no replay): a 2-deep window stream
    out.inWordElems = g.inC;
    addInputFifo(p, streamFifoDepth(g.mh / pe, g.kernel * g.kernel, false), pe * g.inBits, false, out);
  },
  intForward(info, weights, val, _codes, padVal) {
    const l = info.layer as DepthwiseLayer;
    const { height: ih, width: iw, channels: c } = info.inShape;
    const { height: oh, width: ow } = info.outShape;
    const k = l.kernel;
    const mw = k * k;
    const acc = new Int32Array(oh * ow * c);
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) s += weights![ch * mw + ky * k + kx]! * pixelValue(val, ih, iw, c, oy + ky - l.padding, ox + kx - l.padding, ch, padVal);
          acc[(oy * ow + ox) * c + ch] = s;
        }
    return acc;
  },
  hls: (e) => ({ partial: 'depthwise', consume: e.inC, innerWordBits: e.pe * e.inBits, summary: `depthwise ${e.kernel}x${e.kernel} pad ${e.padding}: ${e.inH}x${e.inW}x${e.inC} -> ${e.outH}x${e.outW}x${e.outC}` }),
  rtl: (e) => ({ partial: 'depthwise', cvElems: e.inC, params: { ...swgParams(e, 1, e.inC / e.pe), dw: 1 } }),
};
