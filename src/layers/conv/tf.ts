/** TF.js side of the convolution (src/layers/tf-types.ts): pad (code 0) then a stride-1 valid convolution. */
import * as tf from '@tensorflow/tfjs-core';
import { convBackward, convChannelMajorDw, convForward } from '../../ml/conv.js';
import type { TfLinearKind } from '../tf-types.js';
import type { ConvLayer } from './kind.js';

export const convTf: TfLinearKind = {
  linear: true,
  weightShape: (info) => {
    const l = info.layer as ConvLayer;
    return [l.kernel, l.kernel, info.inShape.channels, l.outChannels];
  },
  forward(x, w, info, padValue) {
    const p = (info.layer as ConvLayer).padding;
    const xp = (p > 0 ? tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], padValue) : x) as tf.Tensor4D;
    return { acc: convForward(xp, w as tf.Tensor4D), saved: { x: xp, xShape: x.shape.slice() } };
  },
  backward(dacc, saved, w, info, needDx, mode) {
    return convBackward(dacc as tf.Tensor4D, saved.x as tf.Tensor4D, w as tf.Tensor4D, (info.layer as ConvLayer).padding, needDx, mode);
  },
  channelMajorDw: (w, _info, mode) => convChannelMajorDw(w, mode),
};
