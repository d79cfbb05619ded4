/**
 * Streaming max-pool: K x K window, stride K (floor on odd sizes), PE channels per word (default: the producer's
 * PE). Max of codes (bipolar: 1 > 0, i.e. +1 > -1), so it commutes with the encoding. No weights.
 */
import { poolCost } from '../../core/cost/pool.js';
import { checkSpatial, clog2, divisors } from '../common.js';
import { KIND_POOL } from '../codes.js';
import type { LayerKind } from '../types.js';

export interface PoolLayer {
  kind: 'maxpool';
  name?: string;
  size: number;
  /** channels processed per cycle; defaults to the producer's PE (or the input's channels) */
  pe?: number;
}

export { KIND_POOL };

export const maxpool: LayerKind<PoolLayer> = {
  name: 'maxpool',
  code: KIND_POOL,
  compute: false,
  spatial: true,
  analyze(l, a) {
    const p = a.path;
    const s = a.inShape;
    checkSpatial('maxpool', a);
    if (l.size > s.height || l.size > s.width) a.issues.push({ jsonPath: `${p}/size`, message: `pool size ${l.size} is larger than its ${s.height}x${s.width} input` });
    const outShape = { height: Math.floor(s.height / l.size), width: Math.floor(s.width / l.size), channels: s.channels };
    const pe = l.pe ?? a.producerPe;
    if (s.channels % pe !== 0) a.issues.push({ jsonPath: `${p}/pe`, message: `pe ${pe} does not divide the ${s.channels} channels`, hint: `choose one of ${divisors(s.channels).join(', ')}` });
    if (a.isLast) a.issues.push({ jsonPath: p, message: 'a maxpool cannot be the last compute layer' });
    return { outShape, matrixW: 0, matrixH: 0, outPixels: outShape.height * outShape.width, flattens: false };
  },
  legalPe: (info) => divisors(info.inShape.channels),
  legalSimd: () => [1],
  folding: (l, producerPe) => ({ pe: l.pe ?? producerPe, simd: 1 }),
  setFolding(l, pe) {
    l.pe = pe;
  },
  wBits: () => 0,
  aBits: () => undefined,
  memStyle: () => undefined,
  window: (l) => ({ kernel: l.size, padding: 0 }),
  cost: (p, g, pe, _simd, out) => poolCost(p, g, pe, out),
  intForward(info, _w, _val, x) {
    const k = (info.layer as PoolLayer).size;
    const { width: iw, channels: ic } = info.inShape;
    const { height: oh, width: ow, channels: oc } = info.outShape;
    const y = new Int32Array(oh * ow * oc);
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let c = 0; c < oc; c++) {
          let m = -Infinity;
          for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) m = Math.max(m, x[((oy * k + ky) * iw + (ox * k + kx)) * ic + c]!);
          y[(oy * ow + ox) * oc + c] = m;
        }
    return y;
  },
  hls: (e) => ({ partial: 'maxpool', consume: e.pe, innerWordBits: 0, summary: `maxpool ${e.poolSize}x${e.poolSize}: ${e.inH}x${e.inW}x${e.inC} -> ${e.outH}x${e.outW}x${e.outC}` }),
  rtl: (e) => ({ partial: 'maxpool', cvElems: e.pe, params: { poolCF: e.inC / e.pe, poolAW: clog2(e.outW * (e.inC / e.pe)) } }),
};
