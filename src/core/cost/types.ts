/**
 * Plain numeric per-layer geometry and a mutable cost record: the hot path of the cost model works on these
 * (no strings, no allocation), so the search can evaluate millions of layer configurations per second.
 */
import { MEM_NONE } from './memory.js';

export { KIND_CONV, KIND_POOL, KIND_DENSE, KIND_POINTWISE, KIND_DEPTHWISE } from '../../layers/codes.js';

/** Everything the cost functions need about one layer, independent of its folding (pe, simd). */
export interface LayerGeom {
  kind: number;
  /** layer kind code (src/layers/registry.ts KIND_BY_CODE) */
  /** MVAU matrix width (K*K*Cin, Cin, K*K or input features) and height (output channels / features); 0 for pools */
  mw: number;
  mh: number;
  /** output pixels per image (OFM^2 for conv and pool, 1 for dense) */
  outPixels: number;
  /** weight bits (0 for pools) */
  wBits: number;
  /** input element bits and whether they are bipolar (+-1) */
  inBits: number;
  inBipolar: boolean;
  /** output activation bits (0 on the last compute layer: it emits accBits-wide logits) */
  outBits: number;
  isLast: boolean;
  /** accumulator bits (signed), design.ts accumulatorBits */
  accBits: number;
  /** thresholds per output channel: 2^outBits - 1, 0 on the last layer and on pools */
  numThresholds: number;
  /** conv: kernel and padding; pool: window size in `kernel` */
  kernel: number;
  padding: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  /** requested weight memory style: 0 auto, 1 lutram, 2 bram (memory.ts constants) */
  memStyle: number;
}

/** Result of one layer evaluation (reused: the cost functions overwrite every field). */
export interface CostOut {
  /** cycles per image of the layer (max of its sub-units) */
  cycles: number;
  lut: number;
  /** LUTs used as memory (LUTRAM weights/thresholds/buffers, SRL FIFOs), a subset of lut */
  lutram: number;
  ff: number;
  bram18: number;
  dsp: number;
  /** breakdown */
  mvauCycles: number;
  swgCycles: number;
  computeLuts: number;
  weightLuts: number;
  weightBram18: number;
  weightStyle: number;
  thresholdLuts: number;
  thresholdBram18: number;
  thresholdStyle: number;
  /** window generator / pool: total LUTs, LUTs of its line buffer (LUTRAM), BRAM18 of its line buffer */
  swgLuts: number;
  bufferLuts: number;
  swgBram18: number;
  bufferStyle: number;
  fifoLuts: number;
  /** elements per word of the stream the layer's first stage reads (a width converter adapts the producer's) */
  inWordElems: number;
  /** FIFO of the stream the matrix unit reads (stream.ts): depth, style (MEM_LUTRAM = SRL, MEM_BRAM), LUTs, BRAM18 */
  inFifoDepth: number;
  inFifoStyle: number;
  inFifoLuts: number;
  inFifoBram18: number;
  /** width converter in front of the layer (stream.ts addDwc; reported by the estimate, not in lut/ff/cycles) */
  dwcLuts: number;
  dwcFfs: number;
  dwcCycles: number;
  /** 0 none, 1 xnor, 2 sign-flip, 3 lut multiplier, 4 dsp */
  multKind: number;
}

export const MULT_NONE = 0;
export const MULT_XNOR = 1;
export const MULT_SIGNFLIP = 2;
export const MULT_LUT = 3;
export const MULT_DSP = 4;

export function multKindName(k: number): string {
  return ['none', 'xnor', 'signflip', 'lut', 'dsp'][k] ?? 'none';
}

export function newCostOut(): CostOut {
  return {
    cycles: 0, lut: 0, lutram: 0, ff: 0, bram18: 0, dsp: 0,
    mvauCycles: 0, swgCycles: 0, computeLuts: 0,
    weightLuts: 0, weightBram18: 0, weightStyle: MEM_NONE,
    thresholdLuts: 0, thresholdBram18: 0, thresholdStyle: MEM_NONE,
    swgLuts: 0, bufferLuts: 0, swgBram18: 0, bufferStyle: MEM_NONE, fifoLuts: 0, multKind: 0,
    inWordElems: 0, inFifoDepth: 0, inFifoStyle: MEM_NONE, inFifoLuts: 0, inFifoBram18: 0, dwcLuts: 0, dwcFfs: 0, dwcCycles: 0,
  };
}
