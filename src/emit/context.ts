/**
 * Per-layer contexts shared by every emitter (HLS C++, Verilog RTL): computed once from the integer model
 * (design IR + integer weights/thresholds), then rendered by each target's templates. The folding numbers here
 * (NF = MH/PE, SF = MW/SIMD) are the ones the cost model in src/core uses, so the emitted loops and the
 * estimate describe the same hardware.
 *
 * Weight memory layout (FINN-style): PE p holds, at address nf*SF + sf, the SIMD weights
 *   W[o = nf*PE + p][j = sf*SIMD + s]  for s = 0..SIMD-1.
 */
import { layerInfos, type ConvLayer, type PoolLayer, type LayerInfo } from '../core/design.js';
import type { IntComputeLayer, IntModel } from '../core/intmodel.js';

export interface LayerContext {
  index: number;
  name: string;
  kind: 'conv' | 'maxpool' | 'dense';
  info: LayerInfo;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  /** conv kernel (0 otherwise) */
  kernel: number;
  padding: number;
  /** maxpool window (0 otherwise) */
  poolSize: number;
  inBits: number;
  inBipolar: boolean;
  /** output bits (0 for the last layer, which emits accBits-wide logits) */
  outBits: number;
  outBipolar: boolean;
  /** weight bits (0 for pools) */
  wBits: number;
  isLast: boolean;
  pe: number;
  simd: number;
  matrixW: number;
  matrixH: number;
  nf: number;
  sf: number;
  accBits: number;
  /** thresholds per output channel (2^outBits - 1), 0 for the last layer and pools */
  numThresholds: number;
  /** output pixels per image (OFM^2, 1 for dense) */
  outPixels: number;
  /** cycles per image of this layer's main loop: outPixels * NF * SF (MVAU), inPixels * C / PE (pool) */
  cycles: number;
  /** weight memory: depth NF*SF words of PE*SIMD*wBits bits */
  weightDepth: number;
  weightWidth: number;
  weights: Int8Array | null;
  thresholds: Int32Array | null;
}

export function layerContexts(model: IntModel): LayerContext[] {
  const infos = layerInfos(model.design);
  return infos.map((info) => {
    const l = info.layer;
    const ml = model.layers[info.index]!;
    const base = {
      index: info.index,
      name: info.name,
      kind: info.kind,
      info,
      inH: info.inShape.height,
      inW: info.inShape.width,
      inC: info.inShape.channels,
      outH: info.outShape.height,
      outW: info.outShape.width,
      outC: info.outShape.channels,
      inBits: info.inBits,
      inBipolar: info.inBipolar,
      outBits: info.outBits,
      outBipolar: info.outBipolar,
      isLast: info.isLast,
      outPixels: info.outPixels,
      accBits: info.accBits,
    };
    if (l.kind === 'maxpool') {
      const pe = (l as PoolLayer).pe ?? producerPe(model, info.index);
      return {
        ...base,
        kind: 'maxpool' as const,
        kernel: 0,
        padding: 0,
        poolSize: l.size,
        wBits: 0,
        pe,
        simd: 1,
        matrixW: 0,
        matrixH: 0,
        nf: 0,
        sf: 0,
        numThresholds: 0,
        cycles: (info.inShape.height * info.inShape.width * info.inShape.channels) / pe,
        weightDepth: 0,
        weightWidth: 0,
        weights: null,
        thresholds: null,
      };
    }
    const cl = ml as IntComputeLayer;
    const nf = info.matrixH / l.pe;
    const sf = info.matrixW / l.simd;
    return {
      ...base,
      kind: l.kind,
      kernel: l.kind === 'conv' ? (l as ConvLayer).kernel : 0,
      padding: l.kind === 'conv' ? (l as ConvLayer).padding : 0,
      poolSize: 0,
      wBits: l.wBits,
      pe: l.pe,
      simd: l.simd,
      matrixW: info.matrixW,
      matrixH: info.matrixH,
      nf,
      sf,
      numThresholds: info.isLast ? 0 : 2 ** info.outBits - 1,
      cycles: info.outPixels * nf * sf,
      weightDepth: nf * sf,
      weightWidth: l.pe * l.simd * l.wBits,
      weights: cl.weights,
      thresholds: info.isLast ? null : cl.thresholds,
    };
  });
}

/** PE of the layer feeding layer `i` (input channels for the first layer). */
export function producerPe(model: IntModel, i: number): number {
  for (let k = i - 1; k >= 0; k--) {
    const l = model.design.layers[k]!;
    if (l.kind === 'maxpool') {
      if (l.pe !== undefined) return l.pe;
      continue;
    }
    return l.pe;
  }
  return model.design.input.channels;
}

/** Weight value for PE p, memory address (nf, sf), lane s. */
export function foldedWeight(ctx: LayerContext, p: number, nf: number, sf: number, s: number): number {
  const o = nf * ctx.pe + p;
  const j = sf * ctx.simd + s;
  return ctx.weights![o * ctx.matrixW + j]!;
}

/** Threshold t of output channel o. */
export function threshold(ctx: LayerContext, o: number, t: number): number {
  return ctx.thresholds![o * ctx.numThresholds + t]!;
}

/**
 * Largest |accumulator| of a compute layer: MW * max|w| * max|x| (the bound behind accumulatorBits in
 * src/core/design.ts). Thresholds outside [-max, max + 1] can be clamped into it without changing any
 * comparison `acc >= t`, so they fit in accBits + 1 signed bits.
 */
export function accumulatorMaxAbs(ctx: LayerContext): number {
  const wMax = ctx.wBits === 1 ? 1 : 2 ** (ctx.wBits - 1) - 1;
  const xMax = ctx.inBipolar ? 1 : 2 ** ctx.inBits - 1;
  return ctx.matrixW * wMax * xMax;
}

/** Threshold t of output channel o clamped to [-accumulatorMaxAbs, accumulatorMaxAbs + 1] (same results). */
export function clampedThreshold(ctx: LayerContext, o: number, t: number): number {
  const m = accumulatorMaxAbs(ctx);
  return Math.min(m + 1, Math.max(-m, threshold(ctx, o, t)));
}
