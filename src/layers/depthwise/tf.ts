/**
 * TF.js side of the depthwise convolution: pad (code 0) then tf.depthwiseConv2d (channel multiplier 1). The
 * gradients use forward operations only (as src/ml/conv.ts does for the convolution, so wasm trains it):
 *   dx = depthwise_valid(pad(dy, K-1-p), flip_yx(w))                        (correlation identity)
 *   dw[ky, kx, c] = sum over n, y, x of xp[n, y+ky, x+kx, c] * dy[n, y, x, c]  (one product per kernel position)
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TfLinearKind } from '../tf-types.js';
import type { DepthwiseLayer } from './kind.js';

const filter = (w: tf.Tensor): tf.Tensor4D => tf.reshape(w, [w.shape[0]!, w.shape[1]!, w.shape[2]!, 1]);

export const depthwiseTf: TfLinearKind = {
  linear: true,
  weightShape: (info) => {
    const k = (info.layer as DepthwiseLayer).kernel;
    // [K, K, C]: the channel last like every kind's weights (the quantizer scales per output channel = last axis);
    // reshaped to depthwiseConv2d's [K, K, C, 1] (channel multiplier 1) where it is used
    return [k, k, info.inShape.channels];
  },
  forward(x, w, info, padValue) {
    const p = (info.layer as DepthwiseLayer).padding;
    const xp = (p > 0 ? tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], padValue) : x) as tf.Tensor4D;
    return { acc: tf.depthwiseConv2d(xp, filter(w), 1, 'valid'), saved: { x: xp, xShape: x.shape.slice() } };
  },
  backward(dacc, saved, w, info, needDx) {
    const l = info.layer as DepthwiseLayer;
    const k = l.kernel;
    const dy = dacc as tf.Tensor4D;
    const xp = saved.x as tf.Tensor4D;
    let dx: tf.Tensor4D | null = null;
    if (needDx) {
      const q = k - 1 - l.padding;
      const dyp = q > 0 ? tf.pad(dy, [[0, 0], [q, q], [q, q], [0, 0]]) : dy;
      dx = tf.depthwiseConv2d(dyp, tf.reverse(filter(w), [0, 1]), 1, 'valid');
    }
    const [, oh, ow] = dy.shape;
    const parts: tf.Tensor[] = [];
    for (let ky = 0; ky < k; ky++)
      for (let kx = 0; kx < k; kx++) parts.push(tf.sum(tf.mul(tf.slice(xp, [0, ky, kx, 0], [-1, oh, ow, -1]), dy), [0, 1, 2]));
    const dw = tf.reshape(tf.stack(parts), [k, k, xp.shape[3]]);
    return { dw, dx };
  },
};
