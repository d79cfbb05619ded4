/**
 * The integer model: what training exports and what the HLS project, the RTL twin and the integer reference
 * compute. Pure data; the on-disk format (versioned JSON + one little-endian binary file) is read and written
 * by src/ml/intmodel-io.ts.
 *
 * Semantics, per compute layer (see also the conventions in design.ts):
 *   acc[o] = sum_j W[o][j] * x[j]            (x: input VALUES: code for unsigned, 2*code-1 for bipolar)
 *   not last layer: code[o] = #{ t in T[o] : acc[o] >= t }   (T[o] non-decreasing, 2^aBits - 1 entries;
 *                   for aBits = 1 one threshold and code 1 means +1)
 *   last layer:     logits[o] = acc[o]       (argmax, first index on ties, gives the class)
 * Weights hold integer VALUES: -1/+1 for 1-bit, [-(2^(k-1)-1), 2^(k-1)-1] for k bits.
 * Max-pool takes the max of codes (bipolar: 1 > 0, i.e. +1 > -1), so it commutes with the encoding.
 */
import type { ComputeLayer, Design } from './design.js';

export interface IntComputeLayer {
  kind: ComputeLayer['kind'];
  /** [outChannels][matrixW] row-major; conv columns ordered (ky, kx, ci); dense columns in HWC flatten order;
   *  depthwise [channels][K*K] in (ky, kx) order; pointwise [outChannels][inChannels] */
  weights: Int8Array;
  /** [outChannels][2^aBits - 1] row-major, each row non-decreasing; null for the last layer */
  thresholds: Int32Array | null;
}

export interface IntPoolLayer {
  kind: 'maxpool';
}

export type IntLayer = IntComputeLayer | IntPoolLayer;

export interface IntModel {
  format: 'cosearch-intmodel';
  version: 1;
  design: Design;
  /** one entry per design layer, same order */
  layers: IntLayer[];
  /** free-form provenance: dataset, seed, epochs, float accuracy ... */
  meta?: Record<string, unknown>;
}
