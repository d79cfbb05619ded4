/**
 * Bit-exact integer reference inference over an IntModel. This is the golden model that HLS C-simulation and
 * RTL simulation are compared against, so it is written for clarity, not speed, in plain integer arithmetic.
 */
import { layerInfos, type ConvLayer, type PoolLayer } from '../core/design.js';
import type { IntComputeLayer, IntModel } from '../core/intmodel.js';

export interface IntInferenceResult {
  /** integer logits of the last layer */
  logits: Int32Array;
  /** argmax of the logits, first index on ties */
  prediction: number;
  /** output codes (or logits for the last layer) of every layer, HWC */
  layerOutputs: Int32Array[];
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
    const l = model.layers[info.index]!;
    const { height: ih, width: iw, channels: ic } = info.inShape;
    const { height: oh, width: ow, channels: oc } = info.outShape;
    // input values: bipolar codes map to -1/+1
    const val = info.inBipolar ? x.map((c) => 2 * c - 1) : x;
    let y: Int32Array;
    if (l.kind === 'maxpool') {
      const k = (info.layer as PoolLayer).size;
      y = new Int32Array(oh * ow * oc);
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++)
          for (let c = 0; c < oc; c++) {
            let m = -Infinity;
            for (let ky = 0; ky < k; ky++)
              for (let kx = 0; kx < k; kx++) m = Math.max(m, x[((oy * k + ky) * iw + (ox * k + kx)) * ic + c]!);
            y[(oy * ow + ox) * oc + c] = m;
          }
    } else {
      const cl = l as IntComputeLayer;
      const mw = info.matrixW;
      const acc = new Int32Array(info.outPixels * oc);
      if (l.kind === 'conv') {
        const conv = info.layer as ConvLayer;
        const k = conv.kernel;
        const pad = conv.padding;
        // padding is code 0: value 0 for unsigned inputs, -1 for bipolar inputs
        const padVal = info.inBipolar ? -1 : 0;
        const col = new Int32Array(mw);
        for (let oy = 0; oy < oh; oy++)
          for (let ox = 0; ox < ow; ox++) {
            let j = 0;
            for (let ky = 0; ky < k; ky++)
              for (let kx = 0; kx < k; kx++) {
                const iy = oy + ky - pad;
                const ix = ox + kx - pad;
                const inside = iy >= 0 && iy < ih && ix >= 0 && ix < iw;
                for (let c = 0; c < ic; c++) col[j++] = inside ? val[(iy * iw + ix) * ic + c]! : padVal;
              }
            const base = (oy * ow + ox) * oc;
            for (let o = 0; o < oc; o++) {
              let s = 0;
              const wrow = o * mw;
              for (let t = 0; t < mw; t++) s += cl.weights[wrow + t]! * col[t]!;
              acc[base + o] = s;
            }
          }
      } else {
        for (let o = 0; o < oc; o++) {
          let s = 0;
          const wrow = o * mw;
          for (let t = 0; t < mw; t++) s += cl.weights[wrow + t]! * val[t]!;
          acc[o] = s;
        }
      }
      if (info.isLast || !cl.thresholds) {
        y = acc;
      } else {
        const nt = 2 ** info.outBits - 1;
        y = new Int32Array(acc.length);
        for (let p = 0; p < acc.length; p++) {
          const o = p % oc;
          let code = 0;
          for (let t = 0; t < nt; t++) if (acc[p]! >= cl.thresholds[o * nt + t]!) code++;
          y[p] = code;
        }
      }
    }
    outs.push(y);
    x = y;
  }
  const logits = outs[outs.length - 1]!;
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return { logits, prediction: best, layerOutputs: outs };
}
