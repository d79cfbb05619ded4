/**
 * Per-layer contexts shared by every emitter (HLS C++, Verilog RTL): computed once from the integer model
 * (design IR + integer weights/thresholds), then rendered by each target's templates. The folding numbers here
 * (NF = MH/PE, SF = MW/SIMD) are the ones the cost model in src/core uses, so the emitted loops and the
 * estimate describe the same hardware.
 *
 * Weight memory layout (FINN-style): PE p holds, at address nf*SF + sf, the SIMD weights
 *   W[o = nf*PE + p][j = sf*SIMD + s]  for s = 0..SIMD-1
 * (depthwise: o is channel nf*PE + p, j = sf its kernel position, SIMD = 1).
 */
import { costParams, DEFAULT_CALIBRATION, type Calibration } from '../core/calibration.js';
import { geomFromInfo, layerCost } from '../core/cost/layer.js';
import { MEM_BRAM, memStyleName } from '../core/cost/memory.js';
import { newCostOut } from '../core/cost/types.js';
import { layerInfos, type LayerInfo } from '../core/design.js';
import { effectiveFolding } from '../core/estimate.js';
import type { IntComputeLayer, IntModel } from '../core/intmodel.js';
import { kindOf } from '../layers/registry.js';
import type { EmitLayer } from '../layers/types.js';

/**
 * One layer as the emitters see it (src/layers/types.ts EmitLayer + the integer weights). `cycles` is the cost model's
 * main-loop figure (outPixels * NF * SF for MVAU/VVAU layers, inPixels * C / PE for pools), `swgCycles` its window
 * generator figure (0 without one), `weightStyle` the weight memory the cost model picks with the calibration in use
 * (src/core/cost/memory.ts chooseMemory resolves memStyle 'auto' there; the HLS BIND_STORAGE and the RTL ROMs read it).
 */
export interface LayerContext extends EmitLayer {
  info: LayerInfo;
  compute: boolean;
  weightStyle: 'lutram' | 'bram' | 'none';
  /** the threshold memory the cost model picks (chooseMemory, automatic): what the HLS project binds */
  thresholdStyle: 'lutram' | 'bram' | 'none';
  /** FIFO of the stream the matrix unit reads (src/core/cost/stream.ts): depth and implementation (0 / 'none' for pools) */
  inFifoDepth: number;
  inFifoImpl: 'srl' | 'bram' | 'none';
  weights: Int8Array | null;
  thresholds: Int32Array | null;
}

export function layerContexts(model: IntModel, calibration: Calibration = DEFAULT_CALIBRATION): LayerContext[] {
  const infos = layerInfos(model.design);
  const { pe: pes, simd: simds } = effectiveFolding(model.design);
  const p = costParams(calibration);
  const out = newCostOut();
  return infos.map((info) => {
    const l = info.layer;
    const kind = kindOf(l);
    const ml = model.layers[info.index]!;
    const pe = pes[info.index]!;
    const simd = simds[info.index]!;
    layerCost(p, geomFromInfo(info), pe, simd, out);
    const compute = kind.compute;
    const win = kind.window(l);
    const nf = compute ? info.matrixH / pe : 0;
    const sf = compute ? info.matrixW / simd : 0;
    const cl = ml as IntComputeLayer;
    return {
      index: info.index,
      name: info.name,
      kind: info.kind,
      info,
      compute,
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
      kernel: compute ? win.kernel : 0,
      padding: compute ? win.padding : 0,
      poolSize: compute ? 0 : win.kernel,
      wBits: kind.wBits(l),
      pe,
      simd,
      matrixW: info.matrixW,
      matrixH: info.matrixH,
      nf,
      sf,
      numThresholds: compute && !info.isLast ? 2 ** info.outBits - 1 : 0,
      cycles: compute ? out.mvauCycles : out.cycles,
      swgCycles: out.swgCycles,
      weightDepth: nf * sf,
      weightWidth: compute ? pe * simd * kind.wBits(l) : 0,
      weightStyle: memStyleName(out.weightStyle),
      thresholdStyle: memStyleName(out.thresholdStyle),
      inFifoDepth: compute ? out.inFifoDepth : 0,
      inFifoImpl: !compute ? 'none' : out.inFifoStyle === MEM_BRAM ? 'bram' : 'srl',
      weights: compute ? cl.weights : null,
      thresholds: compute && !info.isLast ? cl.thresholds : null,
    };
  });
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
