/**
 * Matrix products with a transposed operand, written as an explicit transpose followed by a plain product.
 *
 * Measured on the wasm backend (tfjs 4.22, XNNPACK, one core; `npx tsx bench/matmul.ts` prints them side by side):
 * tf.matMul(a, b, true, false) and tf.matMul(a, b, false, true) take a slow path, 7-10x slower than transposing
 * the operand first (e.g. the dense-layer gradients of a 3136 x 128 layer at batch 128: 67 ms vs 9 ms for dW,
 * 73 ms vs 16 ms for dX), while the transpose itself is a memory copy. The results are the same products.
 */
import * as tf from '@tensorflow/tfjs-core';

/** a^T b */
export function matMulAT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(tf.transpose(a), b));
}

/** a b^T */
export function matMulBT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(a, tf.transpose(b)));
}
