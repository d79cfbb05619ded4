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

/** Whether convBackward ('forward' mode) computes the filter gradient of weights of this shape by im2col. */
export function usesIm2colFilterGradient(wShape: readonly number[]): boolean {
  return wShape[0]! * wShape[1]! * wShape[2]! <= IM2COL_MAX_COLUMNS;
}

/**
 * Filter gradient [K, K, Ci, Co] by im2col from the output gradient in channel-major layout dyT [Co, N*H'*W']:
 * patches [N*H'*W', K*K*Ci] come from an identity convolution, dw^T = dyT x patches, then the small transpose.
 * This operand order runs ~3x faster on tfjs-wasm than patches^T x dy [N*H'*W', Co] (its BatchMatMul packs the
 * large right-hand operand on every call) when dyT is at hand; a transpose of dy into dyT costs more than the
 * product, hence poolBnActBackward's 'channel-major' layout (src/ml/jsops.ts). `npx tsx bench/matmul.ts` prints
 * the three operand orders side by side (first-layer rows).
 */
export function im2colFilterGradient(dyT: tf.Tensor2D, xp: tf.Tensor4D, wShape: readonly number[]): tf.Tensor4D {
  const [k, , ci, co] = wShape as [number, number, number, number];
  const cols = k * k * ci;
  const eye = tf.reshape(tf.eye(cols), [k, k, ci, cols]) as tf.Tensor4D;
  const patches = tf.reshape(tf.conv2d(xp, eye, 1, 'valid'), [-1, cols]);
  return tf.reshape(tf.transpose(tf.matMul(dyT, patches)), [k, k, ci, co]) as tf.Tensor4D;
}

/** The channel-major filter gradient of a stride-1 convolution (TfLinearKind.channelMajorDw), where it applies. */
export function convChannelMajorDw(w: tf.Tensor, mode: ConvGradMode): ((dyT: tf.Tensor2D, saved: { x: tf.Tensor }) => tf.Tensor4D) | null {
  return mode === 'forward' && usesIm2colFilterGradient(w.shape) ? (dyT, saved) => im2colFilterGradient(dyT, saved.x as tf.Tensor4D, w.shape) : null;
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
  if (usesIm2colFilterGradient(w.shape)) {
    // few input channels (typically the first layer): im2col, then one matMul; measured ~3x faster on wasm than
    // the batch-as-channels convolution, whose output has only K x K pixels
    const co = w.shape[3];
    return { dx, dw: im2colFilterGradient(tf.transpose(tf.reshape(dy, [-1, co])) as tf.Tensor2D, xp, w.shape) };
  }
  const xT = tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D;
  const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
  const dw = tf.transpose(tf.conv2d(xT, dyT, 1, 'valid'), [1, 2, 0, 3]) as tf.Tensor4D;
  return { dx, dw };
}
