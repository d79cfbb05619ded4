/**
 * The pointwise kind (src/layers/pointwise) and the 1x1 convolution without padding are the same hardware: the same
 * estimate (no window generator), the same integer results, the same HLS stage (no cosearch::swg) and the same RTL
 * control (cs_dense once per pixel).
 */
import { describe, expect, it } from 'vitest';
import { estimateDesign } from '../../src/core/estimate.js';
import { DEFAULT_CALIBRATION } from '../../src/core/calibration.js';
import type { Design, Layer } from '../../src/core/design.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { loadPart } from '../../src/parts.js';
import { intInfer } from '../../src/ml/intref.js';
import { hlsLayerContexts } from '../../src/emit/hls.js';
import { kindOf } from '../../src/layers/registry.js';
import { layerContexts } from '../../src/emit/context.js';

function design(mid: Layer): Design {
  return {
    version: 1, name: 'pw', input: { height: 6, width: 6, channels: 3, bits: 8 },
    layers: [{ kind: 'conv', outChannels: 8, kernel: 3, padding: 1, wBits: 2, aBits: 2, pe: 2, simd: 3 }, mid, { kind: 'dense', outFeatures: 4, wBits: 2, pe: 2, simd: 12 }],
    target: { part: 'xc7z020', clockMHz: 100 },
  };
}

describe('pointwise', () => {
  const pw = design({ kind: 'pointwise', outChannels: 12, wBits: 3, aBits: 2, pe: 4, simd: 4 });
  const c1 = design({ kind: 'conv', outChannels: 12, kernel: 1, padding: 0, wBits: 3, aBits: 2, pe: 4, simd: 4 });
  it('estimates exactly like a 1x1 conv without padding, with no window generator', () => {
    const part = loadPart('xc7z020');
    const a = estimateDesign(pw, part, DEFAULT_CALIBRATION);
    const b = estimateDesign(c1, part, DEFAULT_CALIBRATION);
    const strip = (l: (typeof a.layers)[number]) => ({ ...l, kind: '', name: '' });
    expect(a.layers.map(strip)).toEqual(b.layers.map(strip));
    expect(a.layers[1]!.details!.swgCycles).toBe(0);
    expect(a.layers[1]!.cycles).toBe(36 * 3 * 2);
  });
  it('computes what the 1x1 conv computes (same weights)', () => {
    const ma = randomIntModel(pw, 2);
    const mb = { ...randomIntModel(c1, 2), layers: ma.layers.map((l, i) => (i === 1 ? { ...l, kind: 'conv' as const } : l)) };
    const img = Uint8Array.from({ length: 108 }, (_, i) => (i * 53) % 256);
    expect(intInfer(mb, img).layerOutputs).toEqual(intInfer(ma, img).layerOutputs);
  });
  it('HLS reads the pixel stream directly (mvau over the pixels, no window generator), RTL uses the dense control', () => {
    for (const d of [pw, c1]) {
      const h = hlsLayerContexts(randomIntModel(d, 1))[1]!;
      expect(h.partial).toBe('hls_dense');
      expect(h.dwcOutElems).toBe(4);
      const c = layerContexts(randomIntModel(d, 1))[1]!;
      expect(kindOf(c.info.layer).rtl(c).partial).toBe('dense');
    }
  });
});
