/** TF.js side of the dense layer: flatten (HWC) then a matrix product. */
import * as tf from '@tensorflow/tfjs-core';
import { matMulAT, matMulBT } from '../../ml/matmul.js';
import type { TfLinearKind } from '../tf-types.js';

export const denseTf: TfLinearKind = {
  linear: true,
  weightShape: (info) => [info.matrixW, info.matrixH],
  forward(x, w) {
    const x2 = tf.reshape(x, [x.shape[0]!, -1]);
    return { acc: tf.matMul(x2 as tf.Tensor2D, w as tf.Tensor2D), saved: { x: x2, xShape: x.shape.slice() } };
  },
  backward(dacc, saved, w, _info, needDx) {
    const dw = matMulAT(saved.x as tf.Tensor2D, dacc as tf.Tensor2D);
    const dx = needDx ? tf.reshape(matMulBT(dacc as tf.Tensor2D, w as tf.Tensor2D), saved.xShape) : null;
    return { dw, dx };
  },
};
