/**
 * Seeded random valid designs with odd geometries for the HLS tests (kernels 1..5, padding up to K-1,
 * pools 2/3 with their own PE, every legal PE/SIMD, 1..8-bit weights, 1..4-bit activations).
 */
import { Rng } from '../../src/core/rng.js';
import { analyzeDesign, divisors, legalPe, legalSimd, type Design, type Layer } from '../../src/core/design.js';

/** A valid random design for seed s (null when the draw does not fit, e.g. a pool larger than its input). */
export function randomGeometry(s: number): Design | null {
  const r = new Rng(s);
  const pick = <T>(a: T[]): T => a[Math.floor(r.next() * a.length)]!;
  const h = pick([7, 9, 12, 13]);
  const c = pick([1, 2, 3]);
  const layers: Layer[] = [];
  const nConv = pick([1, 2, 3]);
  for (let i = 0; i < nConv; i++) {
    const k = pick([1, 2, 3, 5]);
    layers.push({ kind: 'conv', outChannels: pick([2, 3, 4, 6, 8]), kernel: k, padding: pick([...Array(k).keys()]), wBits: pick([1, 2, 3, 4, 8]), aBits: pick([1, 2, 3, 4]), pe: 1, simd: 1 });
    if (r.next() < 0.5) layers.push({ kind: 'maxpool', size: pick([2, 3]) });
  }
  if (r.next() < 0.5) layers.push({ kind: 'dense', outFeatures: pick([4, 6, 8]), wBits: pick([1, 2, 4]), aBits: pick([1, 2, 3]), pe: 1, simd: 1 });
  layers.push({ kind: 'dense', outFeatures: pick([3, 5, 10]), wBits: pick([1, 2, 4, 8]), pe: 1, simd: 1 });
  const d: Design = { version: 1, name: `geometry${s}`, input: { height: h, width: h, channels: c, bits: 8 }, layers, target: { part: 'xc7z020', clockMHz: 100 } };
  const first = analyzeDesign(d);
  if (first.issues.some((x) => !/\/(pe|simd)$/.test(x.jsonPath))) return null;
  for (const info of first.infos) {
    const l = d.layers[info.index]!;
    if (l.kind === 'maxpool') {
      if (r.next() < 0.5) l.pe = pick(divisors(info.inShape.channels));
      continue;
    }
    l.pe = pick(legalPe(info));
    l.simd = pick(legalSimd(info));
  }
  return analyzeDesign(d).issues.length ? null : d;
}

