/** TF.js side of the pointwise (1x1) convolution: the convolution with a 1x1 kernel and no padding. */
import { convBackward, convChannelMajorDw, convForward } from '../../ml/conv.js';
import type * as tf from '@tensorflow/tfjs-core';
import type { TfLinearKind } from '../tf-types.js';

export const pointwiseTf: TfLinearKind = {
  linear: true,
  weightShape: (info) => [1, 1, info.inShape.channels, info.matrixH],
  forward: (x, w) => ({ acc: convForward(x as tf.Tensor4D, w as tf.Tensor4D), saved: { x, xShape: x.shape.slice() } }),
  backward: (dacc, saved, w, _info, needDx, mode) => convBackward(dacc as tf.Tensor4D, saved.x as tf.Tensor4D, w as tf.Tensor4D, 0, needDx, mode),
  channelMajorDw: (w, _info, mode) => convChannelMajorDw(w, mode),
};
