/** TF.js side of the max-pool: tf.maxPool (window = stride = size) and the MaxPoolGrad kernel. */
import * as tf from '@tensorflow/tfjs-core';
import type { TfPoolKind } from '../tf-types.js';
import type { PoolLayer } from './kind.js';

/** Max-pool gradient (window = stride = k, valid): routes dy to the argmax of each window (tfjs MaxPoolGrad kernel). */
export function maxPoolGrad(dy: tf.Tensor4D, input: tf.Tensor4D, output: tf.Tensor4D, k: number): tf.Tensor4D {
  return tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, { filterSize: [k, k], strides: [k, k], pad: 'valid' }) as tf.Tensor4D;
}

export const maxpoolTf: TfPoolKind = {
  linear: false,
  forward: (x, info) => {
    const k = (info.layer as PoolLayer).size;
    return tf.maxPool(x as tf.Tensor4D, k, k, 'valid');
  },
  backward: (dy, x, y, info) => maxPoolGrad(dy as tf.Tensor4D, x as tf.Tensor4D, y as tf.Tensor4D, (info.layer as PoolLayer).size),
};
