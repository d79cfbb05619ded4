/**
 * Stride-1 2-D convolution and its gradients.
 *
 * 'forward' mode computes both gradients with forward convolutions only, so conv nets train on backends without
 * Conv2DBackpropFilter (tfjs-backend-wasm, tfjs issue 8474) and use XNNPACK's fast forward path there.
 * For y = conv_valid(xp, w), xp = pad(x, p) [N, H+2p, W+2p, Ci], w [K, K, Ci, Co], y [N, H', W', Co]:
 *   dx  = conv_valid(pad(dy, K-1-p), flip_yx(w) with Ci/Co swapped)   -> [N, H, W, Ci] (gradient of the unpadded x)
 *   dw  = conv_valid(xp^T, dy^T) with the batch acting as the channel axis:
 *         xp^T = transpose(xp, [3,1,2,0]) : [Ci, H+2p, W+2p, N];  dy^T = transpose(dy, [1,2,0,3]) : [H', W', N, Co]
 *         -> [Ci, K, K, Co] -> transpose to [K, K, Ci, Co]
 * (correlation identities; e.g. Dumoulin & Visin, "A guide to convolution arithmetic for deep learning", 2016.)
 *
 * 'stock' mode calls tfjs's own gradient kernels (Conv2DBackpropInput, Conv2DBackpropFilter), i.e. what
 * tfjs's registered conv2d gradient runs; it exists for the benchmark against stock tfjs on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs-core';

export type ConvGradMode = 'forward' | 'stock';

/** im2col filter gradient up to this many columns (K*K*Ci); measured on wasm with the 28x28 first layer */
export const IM2COL_MAX_COLUMNS = 27;

export function convForward(xp: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  return tf.conv2d(xp, w, 1, 'valid');
}

/** Gradients of y = conv_valid(pad(x, p), w). Returns dx (of the unpadded x; null if !needDx) and dw. */
export function convBackward(dy: tf.Tensor4D, xp: tf.Tensor4D, w: tf.Tensor4D, p: number, needDx: boolean, mode: ConvGradMode): { dx: tf.Tensor4D | null; dw: tf.Tensor4D } {
  const k = w.shape[0];
  if (mode === 'stock') {
    const dwS = tf.engine().runKernel('Conv2DBackpropFilter', { x: xp, dy }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', filterShape: w.shape }) as tf.Tensor4D;
    let dx: tf.Tensor4D | null = null;
    if (needDx) {
      const dxp = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', inputShape: xp.shape }) as tf.Tensor4D;
      dx = p > 0 ? tf.slice(dxp, [0, p, p, 0], [-1, xp.shape[1] - 2 * p, xp.shape[2] - 2 * p, -1]) : dxp;
    }
    return { dx, dw: dwS };
  }
  let dx: tf.Tensor4D | null = null;
  if (needDx) {
    const wFlip = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    const q = k - 1 - p;
    dx = tf.conv2d(dy, wFlip, 1, q > 0 ? [[0, 0], [q, q], [q, q], [0, 0]] : 'valid');
  }
  const ci = w.shape[2];
  const co = w.shape[3];
  if (k * k * ci <= IM2COL_MAX_COLUMNS) {
    // few input channels (typically the first layer): im2col through an identity convolution, then one matMul;
    // measured ~3x faster on wasm than the batch-as-channels convolution, whose output has only K x K pixels
    const cols = k * k * ci;
    const eye = tf.reshape(tf.eye(cols), [k, k, ci, cols]) as tf.Tensor4D;
    const patches = tf.reshape(tf.conv2d(xp, eye, 1, 'valid'), [-1, cols]);
    const dw = tf.matMul(tf.transpose(patches), tf.reshape(dy, [-1, co]));
    return { dx, dw: tf.reshape(dw, [k, k, ci, co]) as tf.Tensor4D };
  }
  const xT = tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D;
  const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
  const dw = tf.transpose(tf.conv2d(xT, dyT, 1, 'valid'), [1, 2, 0, 3]) as tf.Tensor4D;
  return { dx, dw };
}
