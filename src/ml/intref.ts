/**
 * Bit-exact integer reference inference over an IntModel. This is the golden model that HLS C-simulation and
 * RTL simulation are compared against, so it is written for clarity, not speed, in plain integer arithmetic.
 * Each layer kind computes its accumulators (or, without weights, its output codes) in src/layers/<kind>/kind.ts
 * `intForward`; the multi-threshold activation is the same for every kind.
 */
import { layerInfos } from '../core/design.js';
import type { IntComputeLayer, IntModel } from '../core/intmodel.js';
import { kindOf } from '../layers/registry.js';

export interface IntInferenceResult {
  /** integer logits of the last layer */
  logits: Int32Array;
  /** argmax of the logits, first index on ties */
  prediction: number;
  /** output codes (or logits for the last layer) of every layer, HWC */
  layerOutputs: Int32Array[];
}

/** Multi-threshold activation: code = #{t : acc >= T[o][t]} per element (o = element index mod channels). */
export function thresholdCodes(acc: Int32Array, thresholds: Int32Array, channels: number, nt: number): Int32Array {
  const y = new Int32Array(acc.length);
  for (let p = 0; p < acc.length; p++) {
    const o = p % channels;
    let code = 0;
    for (let t = 0; t < nt; t++) if (acc[p]! >= thresholds[o * nt + t]!) code++;
    y[p] = code;
  }
  return y;
}

/**
 * Run one image. `input` holds the input codes in HWC order (e.g. 0..255 pixels).
 */
export function intInfer(model: IntModel, input: ArrayLike<number>): IntInferenceResult {
  const infos = layerInfos(model.design);
  const d = model.design;
  const expected = d.input.height * d.input.width * d.input.channels;
  if (input.length !== expected) throw new Error(`intInfer: input has ${input.length} elements, expected ${expected}`);
  let x: Int32Array = Int32Array.from(input as ArrayLike<number>);
  const outs: Int32Array[] = [];
  for (const info of infos) {
    const kind = kindOf(info.layer);
    const l = model.layers[info.index]!;
    // input values: bipolar codes map to -1/+1; padding is code 0: value 0 for unsigned inputs, -1 for bipolar ones
    const val = info.inBipolar ? x.map((c) => 2 * c - 1) : x;
    const padVal = info.inBipolar ? -1 : 0;
    let y: Int32Array;
    if (!kind.compute) y = kind.intForward(info, null, val, x, padVal);
    else {
      const cl = l as IntComputeLayer;
      const acc = kind.intForward(info, cl.weights, val, x, padVal);
      y = info.isLast || !cl.thresholds ? acc : thresholdCodes(acc, cl.thresholds, info.outShape.channels, 2 ** info.outBits - 1);
    }
    outs.push(y);
    x = y;
  }
  const logits = outs[outs.length - 1]!;
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return { logits, prediction: best, layerOutputs: outs };
}
