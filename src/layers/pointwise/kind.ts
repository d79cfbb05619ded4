/**
 * 1x1 pointwise convolution without a sliding window (the second half of a depthwise-separable block, MobileNet,
 * Howard et al. 2017): every output pixel is a matrix-vector product of the pixel's Cin channels, MW = Cin,
 * MH = outChannels, cycles = outPixels * NF * SF. The input stream already is the MVAU's input (SIMD channels per
 * word), so there is no window generator in the cost model, the HLS project (mvau with REPS = pixels) or the RTL twin
 * (cs_dense.v once per pixel): common.ts STREAM_MVAU, as for dense. A `conv` with kernel 1 and padding 0 is the same
 * hardware (src/layers/conv uses STREAM_MVAU then).
 */
import { checkComputeBits, checkSpatial, STREAM_MVAU, WEIGHTED, type WeightedLayerFields } from '../common.js';
import { KIND_POINTWISE } from '../codes.js';
import type { LayerKind } from '../types.js';

export interface PointwiseLayer extends WeightedLayerFields {
  kind: 'pointwise';
  outChannels: number;
}

export { KIND_POINTWISE };

export const pointwise: LayerKind<PointwiseLayer> = {
  name: 'pointwise',
  code: KIND_POINTWISE,
  ...WEIGHTED,
  ...STREAM_MVAU,
  spatial: true,
  analyze(l, a) {
    checkSpatial('pointwise', a, 'put all conv, depthwise, pointwise and maxpool layers before the dense layers');
    checkComputeBits(l, a);
    const s = a.inShape;
    return { outShape: { height: s.height, width: s.width, channels: l.outChannels }, matrixW: s.channels, matrixH: l.outChannels, outPixels: s.height * s.width, flattens: false };
  },
  hls: (e) => ({ partial: 'dense', consume: e.simd, innerWordBits: 0, summary: `pointwise 1x1: ${e.inH}x${e.inW}x${e.inC} -> ${e.outH}x${e.outW}x${e.outC}` }),
};
