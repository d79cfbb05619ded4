/**
 * Random integer models with valid weights and sorted thresholds, for testing emitters and simulators
 * independently of training. Thresholds are drawn around the accumulator's typical range so that every
 * output code occurs.
 */
import { isCompute, layerInfos, type Design } from './design.js';
import type { IntLayer, IntModel } from './intmodel.js';
import { Rng } from './rng.js';

export function randomIntModel(design: Design, seed: number): IntModel {
  const rng = new Rng(seed);
  const layers: IntLayer[] = layerInfos(design).map((info) => {
    const l = info.layer;
    if (!isCompute(l)) return { kind: 'maxpool' as const };
    const n = info.matrixW * info.matrixH;
    const weights = new Int8Array(n);
    const wMax = l.wBits === 1 ? 1 : 2 ** (l.wBits - 1) - 1;
    for (let i = 0; i < n; i++) {
      weights[i] = l.wBits === 1 ? (rng.next() < 0.5 ? -1 : 1) : rng.int(-wMax, wMax);
    }
    let thresholds: Int32Array | null = null;
    if (!info.isLast) {
      const nt = 2 ** info.outBits - 1;
      thresholds = new Int32Array(info.matrixH * nt);
      // accumulator std for random weights/inputs ~ sqrt(MW) * wMax * xMax / 2
      const xMax = info.inBipolar ? 1 : 2 ** info.inBits - 1;
      const mean = info.inBipolar ? 0 : 0; // symmetric weights: zero mean
      const sd = Math.max(1, Math.sqrt(info.matrixW) * wMax * xMax * 0.3);
      for (let o = 0; o < info.matrixH; o++) {
        const row: number[] = [];
        for (let t = 0; t < nt; t++) row.push(Math.round(mean + sd * rng.normal() * 0.8));
        row.sort((a, b) => a - b);
        row.forEach((v, t) => (thresholds![o * nt + t] = v));
      }
    }
    return { kind: l.kind, weights, thresholds };
  });
  return { format: 'cosearch-intmodel', version: 1, design, layers, meta: { source: 'random', seed } };
}
