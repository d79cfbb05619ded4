/**
 * The design IR: one plain-data description of a quantized CNN and its streaming dataflow implementation.
 * The hardware model, the folding optimizer, the QAT engine and every emitter (HLS, RTL) read this same
 * per-layer configuration, so an estimate and the code it describes cannot drift apart.
 *
 * The per-kind knowledge (shapes, legal folding, cost, integer reference, emitters) lives in src/layers/<kind>/;
 * this file holds the generic walk over the layers.
 *
 * Conventions (shared by the QAT engine, the integer reference, the HLS library and the RTL twin):
 * - Tensors are HWC (channel innermost); a stream carries pixels in raster order, channels interleaved.
 * - Conv: stride 1, square kernel K, zero padding P ("code 0": for a 1-bit bipolar input that is -1).
 *   Its weight matrix is [outChannels][K*K*inChannels] with columns ordered (ky, kx, ci).
 * - Depthwise: one K x K filter per channel, weight matrix [channels][K*K] in (ky, kx) order.
 * - Pointwise: 1x1 convolution, weight matrix [outChannels][inChannels].
 * - Max-pool: K x K window, stride K (floor on odd sizes).
 * - Dense after a conv/pool stack flattens HWC in raster order.
 * - wBits = 1 is bipolar {-1,+1} (FINN's binary/XNOR); k >= 2 is symmetric signed [-(2^(k-1)-1), 2^(k-1)-1].
 * - aBits is the layer's OUTPUT activation width: 1 is bipolar sign, k >= 2 is unsigned [0, 2^k-1] (after ReLU).
 *   The last compute layer has no activation: it emits integer logits (its aBits is ignored and may be omitted).
 * - The network input is `input.bits`-bit unsigned (8 for images).
 */

import type { ConvLayer } from '../layers/conv/kind.js';
import type { PoolLayer } from '../layers/maxpool/kind.js';
import type { DenseLayer } from '../layers/dense/kind.js';
import type { PointwiseLayer } from '../layers/pointwise/kind.js';
import type { DepthwiseLayer } from '../layers/depthwise/kind.js';
import { divisors } from '../layers/common.js';
import { findKind, isComputeLayer, KIND_NAMES } from '../layers/registry.js';

export { divisors };

export const SUPPORTED_BITS = [1, 2, 3, 4, 5, 6, 7, 8] as const;
export type Bits = (typeof SUPPORTED_BITS)[number];
export type MemStyle = 'auto' | 'lutram' | 'bram';

export interface InputSpec {
  height: number;
  width: number;
  channels: number;
  /** bits per input element (unsigned); 8 for images */
  bits: number;
}

export type { ConvLayer } from '../layers/conv/kind.js';
export type { PoolLayer } from '../layers/maxpool/kind.js';
export type { DenseLayer } from '../layers/dense/kind.js';
export type { PointwiseLayer } from '../layers/pointwise/kind.js';
export type { DepthwiseLayer } from '../layers/depthwise/kind.js';

/** Every layer kind (one folder each under src/layers, registered in src/layers/registry.ts). */
export type Layer = ConvLayer | PoolLayer | DenseLayer | PointwiseLayer | DepthwiseLayer;
/** Layers with weights. */
export type ComputeLayer = ConvLayer | DenseLayer | PointwiseLayer | DepthwiseLayer;

export interface Target {
  part: string;
  clockMHz: number;
}

export interface Design {
  /** IR format version */
  version: 1;
  name: string;
  input: InputSpec;
  layers: Layer[];
  target: Target;
}

export interface Shape {
  height: number;
  width: number;
  channels: number;
}

/** Everything about one layer that can be derived from the design: shapes, bit widths in and out, matrix sizes. */
export interface LayerInfo {
  index: number;
  name: string;
  kind: Layer['kind'];
  layer: Layer;
  inShape: Shape;
  outShape: Shape;
  /** bits of the input elements; `inSigned` tells whether they are bipolar (1-bit) or unsigned */
  inBits: number;
  inBipolar: boolean;
  /** bits of the output elements (outBits 0 / logits for the last compute layer) */
  outBits: number;
  outBipolar: boolean;
  /** true for the final compute layer (integer logits, no thresholds) */
  isLast: boolean;
  /** MVAU matrix: MW = K*K*Cin (conv), Cin (pointwise), K*K (depthwise) or inFeatures (dense), MH = outputs; 0 for pools */
  matrixW: number;
  matrixH: number;
  /** output pixels per image: OFM^2 for conv, 1 for dense, OFM^2 for pool */
  outPixels: number;
  /** accumulator bits needed (signed), from the worst-case sum; 0 for pools */
  accBits: number;
}

export function isCompute(l: Layer): l is ComputeLayer {
  return isComputeLayer(l);
}

export function layerName(l: Layer, i: number): string {
  return l.name ?? `${l.kind}${i}`;
}

/** A semantic problem found in a design, with the JSON path of the offending value. */
export interface DesignIssue {
  jsonPath: string;
  message: string;
  hint?: string;
}

/** Legal PE values of a compute layer (its kind decides: divisors of MH for MVAU-style layers). */
export function legalPe(info: LayerInfo): number[] {
  return findKind(info.kind)?.legalPe(info) ?? [];
}

/** Legal SIMD values of a layer (its kind decides; see src/layers/<kind>/kind.ts). */
export function legalSimd(info: LayerInfo): number[] {
  return findKind(info.kind)?.legalSimd(info) ?? [];
}

/** Signed accumulator width for a dot product of `n` terms of given operand ranges (+1 sign bit). */
export function accumulatorBits(n: number, wBits: number, inBits: number, inBipolar: boolean): number {
  const wMax = wBits === 1 ? 1 : 2 ** (wBits - 1) - 1;
  const xMax = inBipolar ? 1 : 2 ** inBits - 1;
  const maxAbs = n * wMax * xMax;
  return Math.ceil(Math.log2(maxAbs + 1)) + 1;
}

/**
 * Infer shapes and per-layer derived facts. Returns the infos and a list of problems (empty when valid).
 * Pure: no exceptions for bad designs, so callers can report every problem with its JSON path.
 */
export function analyzeDesign(d: Design): { infos: LayerInfo[]; issues: DesignIssue[] } {
  const issues: DesignIssue[] = [];
  const infos: LayerInfo[] = [];
  let shape: Shape = { height: d.input.height, width: d.input.width, channels: d.input.channels };
  let bits = d.input.bits;
  let bipolar = false;
  let flat = false;
  const lastCompute = d.layers.map(isCompute).lastIndexOf(true);
  if (lastCompute < 0) issues.push({ jsonPath: '/layers', message: 'the design has no conv or dense layer' });
  let producerPe = d.input.channels;
  d.layers.forEach((l, i) => {
    const p = `/layers/${i}`;
    const inShape = { ...shape };
    const isLast = i === lastCompute;
    const kind = findKind((l as { kind: string }).kind);
    if (!kind) {
      issues.push({ jsonPath: `${p}/kind`, message: `unknown layer kind ${JSON.stringify((l as { kind: unknown }).kind)}`, hint: `use ${KIND_NAMES.join(', ')}` });
      infos.push({ index: i, name: layerName(l, i), kind: l.kind, layer: l, inShape, outShape: inShape, inBits: bits, inBipolar: bipolar, outBits: bits, outBipolar: bipolar, isLast, matrixW: 0, matrixH: 0, outPixels: 0, accBits: 0 });
      return;
    }
    const r = kind.analyze(l, { path: p, inShape, inBits: bits, inBipolar: bipolar, flat, isLast, producerPe, issues });
    if (r.flattens) flat = true;
    let outBits = bits;
    let outBipolar = bipolar;
    let accBits = 0;
    if (kind.compute) {
      const aBits = kind.aBits(l);
      if (!isLast) {
        outBits = aBits ?? 1;
        outBipolar = outBits === 1;
      } else {
        outBits = 0;
        outBipolar = false;
      }
      accBits = accumulatorBits(r.matrixW, kind.wBits(l), bits, bipolar);
    }
    const info: LayerInfo = {
      index: i, name: layerName(l, i), kind: l.kind, layer: l, inShape, outShape: r.outShape,
      inBits: bits, inBipolar: bipolar, outBits, outBipolar, isLast,
      matrixW: r.matrixW, matrixH: r.matrixH, outPixels: r.outPixels, accBits,
    };
    const fold = kind.folding(l, producerPe);
    if (kind.compute && r.matrixW > 0 && r.matrixH > 0) {
      const pes = kind.legalPe(info);
      if (!Number.isInteger(fold.pe) || !pes.includes(fold.pe)) issues.push({ jsonPath: `${p}/pe`, message: `pe ${fold.pe} does not divide the ${r.matrixH} outputs of this layer`, hint: `choose one of ${pes.join(', ')}` });
      const simds = kind.legalSimd(info);
      if (!simds.includes(fold.simd)) issues.push({ jsonPath: `${p}/simd`, message: `simd ${fold.simd} is not legal for this layer (matrix width ${r.matrixW})`, hint: `choose one of ${simds.join(', ')}` });
    }
    producerPe = fold.pe;
    infos.push(info);
    shape = r.outShape;
    bits = outBits;
    bipolar = outBipolar;
  });
  return { infos, issues };
}

/** Shape info of a design known to be valid; throws on the first problem (for internal use after validation). */
export function layerInfos(d: Design): LayerInfo[] {
  const { infos, issues } = analyzeDesign(d);
  if (issues.length) throw new Error(`invalid design ${d.name}: ${issues[0]!.jsonPath}: ${issues[0]!.message}`);
  return infos;
}

/** Number of classes = outputs of the last compute layer. */
export function numClasses(d: Design): number {
  const infos = layerInfos(d);
  return infos.filter((i) => i.isLast)[0]!.matrixH;
}

export function cloneDesign(d: Design): Design {
  return JSON.parse(JSON.stringify(d)) as Design;
}
