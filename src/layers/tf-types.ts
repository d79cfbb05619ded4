/**
 * The TF.js side of a layer kind (src/layers/<kind>/tf.ts): what QAT (src/ml/qat.ts), the fast integer inference
 * (src/ml/intfast.ts) and the zero-cost proxies (src/ml/proxies.ts) compute for it. Compute kinds are a linear
 * operator of the input with a weight tensor in the tf layout `weightShape` (row-major [matrixW][matrixH], the
 * integer model's layout transposed); the max-pool is the one kind without weights.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { LayerInfo } from '../core/design.js';
import type { ConvGradMode } from '../ml/conv.js';

/** What the forward pass keeps for the backward pass. */
export interface LinearSaved {
  /** the operator's input as it entered the product (padded for windows, flattened for dense) */
  x: tf.Tensor;
  /** shape of the layer input (the gradient is returned in it) */
  xShape: number[];
}

export interface TfLinearKind {
  readonly linear: true;
  /** tf layout of the weights: conv [K, K, Cin, Cout], pointwise [1, 1, Cin, Cout], depthwise [K, K, C], dense [in, out]:
   *  the output channel is always the last axis */
  weightShape(info: LayerInfo): number[];
  /** accumulators of the input values `x` (padding value `padValue`) with weights `w` */
  forward(x: tf.Tensor, w: tf.Tensor, info: LayerInfo, padValue: number): { acc: tf.Tensor; saved: LinearSaved };
  /** gradients of the weights and (when needDx) of the layer input, from the accumulator gradient */
  backward(dacc: tf.Tensor, saved: LinearSaved, w: tf.Tensor, info: LayerInfo, needDx: boolean, mode: ConvGradMode): { dw: tf.Tensor; dx: tf.Tensor | null };
  /**
   * Optional, for a layer whose input gradient is not needed (the first): the weight gradient from the accumulator
   * gradient in channel-major layout [Cout, pixels], where the kind computes it faster so (src/ml/conv.ts
   * im2colFilterGradient); null where that does not apply, and QAT calls backward as usual.
   */
  channelMajorDw?(w: tf.Tensor, info: LayerInfo, mode: ConvGradMode): ((daccT: tf.Tensor2D, saved: LinearSaved) => tf.Tensor) | null;
}

export interface TfPoolKind {
  readonly linear: false;
  forward(x: tf.Tensor, info: LayerInfo): tf.Tensor;
  backward(dy: tf.Tensor, x: tf.Tensor, y: tf.Tensor, info: LayerInfo): tf.Tensor;
}

export type TfKind = TfLinearKind | TfPoolKind;
