/**
 * The interface every layer kind implements (one folder per kind under src/layers/, registered in
 * src/layers/registry.ts). Estimate, fold, the integer reference, export, the emitters and the simulators go through
 * it, so knowledge about one kind lives in one place (FINN habit: one class per operation holding its shapes, its
 * cost and its code generation; hls4ml registers layers with their attributes).
 *
 * Pure: no TF.js here (the QAT / fast-inference side of a kind is in src/layers/<kind>/tf.ts, registry-tf.ts).
 */
import type { CostParams } from '../core/calibration.js';
import type { CostOut, LayerGeom } from '../core/cost/types.js';
import type { DesignIssue, Layer, LayerInfo, Shape } from '../core/design.js';

/** What a kind's shape analysis sees of the layers before it. */
export interface AnalyzeIn {
  path: string;
  inShape: Shape;
  inBits: number;
  inBipolar: boolean;
  /** a flattening layer (dense) came before */
  flat: boolean;
  /** the final compute layer */
  isLast: boolean;
  /** PE of the producer (stream lanes of its output words) */
  producerPe: number;
  issues: DesignIssue[];
}

export interface AnalyzeOut {
  outShape: Shape;
  /** MVAU matrix: width (terms of one output) and height (outputs per pixel); 0 for kinds without weights */
  matrixW: number;
  matrixH: number;
  /** output pixels per image */
  outPixels: number;
  /** the layer flattens its input (later spatial layers are errors) */
  flattens: boolean;
}

/** The per-layer view the emitters render (built by src/emit/context.ts from LayerInfo + the integer model). */
export interface EmitLayer {
  index: number;
  name: string;
  kind: string;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kernel: number;
  padding: number;
  poolSize: number;
  inBits: number;
  inBipolar: boolean;
  outBits: number;
  outBipolar: boolean;
  wBits: number;
  isLast: boolean;
  pe: number;
  simd: number;
  matrixW: number;
  matrixH: number;
  nf: number;
  sf: number;
  accBits: number;
  numThresholds: number;
  outPixels: number;
  cycles: number;
  swgCycles: number;
  weightDepth: number;
  weightWidth: number;
}

/** HLS side of a kind: its partial (src/layers/<kind>/hls.hbs) and stream plumbing. */
export interface HlsKindView {
  /** the kind whose partial renders the layer (src/layers/<partial>/hls.hbs) */
  partial: string;
  /** elements per word of the stream the layer's first stage reads */
  consume: number;
  /** extra stream word widths (bits) the layer creates internally (checked against the HLS word limit) */
  innerWordBits: number;
  summary: string;
}

/** RTL side of a kind: its partial (src/layers/<kind>/rtl.hbs) and the extra module parameters it needs. */
export interface RtlKindView {
  /** the kind whose partial renders the layer control (src/layers/<partial>/rtl.hbs) */
  partial: string;
  /** elements per word the layer control consumes (after the width converter) */
  cvElems: number;
  params: Record<string, number | string | boolean>;
}

export interface LayerKind<L extends Layer = Layer> {
  readonly name: L['kind'];
  /** numeric code of LayerGeom.kind (hot path) */
  readonly code: number;
  /** has weights (and thresholds unless last): an MVAU/VVAU-style layer */
  readonly compute: boolean;
  /** the output keeps its spatial layout (a following max-pool may be fused in QAT) */
  readonly spatial: boolean;
  /**
   * its MACs train slowly in TF.js (depthwiseConv2d forward + backward on cpu/wasm costs ~30x a conv MAC per image:
   * `npx tsx bench/qat-speed.ts`): counted in CheapFeatures.slowMacs, the QAT cost model's fourth term
   */
  readonly slowQatMacs?: boolean;
  analyze(l: L, a: AnalyzeIn): AnalyzeOut;
  legalPe(info: LayerInfo): number[];
  legalSimd(info: LayerInfo): number[];
  /** the effective (pe, simd) of the layer given its producer's PE */
  folding(l: L, producerPe: number): { pe: number; simd: number };
  setFolding(l: L, pe: number, simd: number): void;
  /** weight bits / activation bits / memory style (0 / undefined / 'auto' for kinds without weights) */
  wBits(l: L): number;
  aBits(l: L): number | undefined;
  memStyle(l: L): string | undefined;
  /** kernel and padding of the layer's window (pool: window size), for the geometry */
  window(l: L): { kernel: number; padding: number };
  /** cost of the layer at a folding (src/core/cost); no allocation */
  cost(p: CostParams, g: LayerGeom, pe: number, simd: number, out: CostOut): void;
  /**
   * Integer reference: compute kinds return the accumulators [outPixels * outC] (HWC) from the input VALUES `val`
   * (bipolar codes already mapped to -1/+1; padding is code 0, i.e. `padVal`); kinds without weights return their
   * output codes from the input codes `codes`.
   */
  intForward(info: LayerInfo, weights: Int8Array | null, val: Int32Array, codes: Int32Array, padVal: number): Int32Array;
  hls(e: EmitLayer): HlsKindView;
  rtl(e: EmitLayer): RtlKindView;
}
