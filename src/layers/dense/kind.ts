/**
 * Fully-connected layer: flattens its HWC input in raster order; MVAU with MW = inputs, MH = outFeatures, no window
 * generator (the RTL twin double-buffers its input vector: cs_dense.v). Cycles = NF * SF per image.
 */
import { checkComputeBits, STREAM_MVAU, WEIGHTED, type WeightedLayerFields } from '../common.js';
import { KIND_DENSE } from '../codes.js';
import type { LayerKind } from '../types.js';

export interface DenseLayer extends WeightedLayerFields {
  kind: 'dense';
  outFeatures: number;
}

export { KIND_DENSE };

export const dense: LayerKind<DenseLayer> = {
  name: 'dense',
  code: KIND_DENSE,
  ...WEIGHTED,
  ...STREAM_MVAU,
  spatial: false,
  analyze(l, a) {
    checkComputeBits(l, a);
    const s = a.inShape;
    return { outShape: { height: 1, width: 1, channels: l.outFeatures }, matrixW: s.height * s.width * s.channels, matrixH: l.outFeatures, outPixels: 1, flattens: true };
  },
  hls: (e) => ({ partial: 'dense', consume: e.simd, innerWordBits: 0, summary: `dense ${e.matrixW} -> ${e.matrixH}` }),
};
