/**
 * Quantizers and the masks of their straight-through estimators (STE; Bengio, Léonard & Courville 2013; clipped
 * STE as in BinaryNet, Hubara et al. 2016): the backward pass multiplies the incoming gradient by the mask. All quantizers output integer VALUES (what the integer model computes with):
 * weights in [-(2^(k-1)-1), 2^(k-1)-1] (k >= 2) or {-1, +1} (k = 1); activations as codes 0..2^k-1 (k >= 2)
 * or bipolar values {-1, +1} (k = 1). Every per-channel scale is absorbed by the batch norm that follows, and
 * the classifier's single per-tensor scale by a positive logit scale, so integer arithmetic reproduces the
 * float model exactly (float32 sums of small integers are exact below 2^24).
 *
 * The pure-JS twins (`quantizeWeightsJs`, `actCodeJs`) define the same maps for tests. The weight quantizer's
 * step sizes (TWN rule for 2 bits, min-max otherwise) are computed by QatModel.invSteps.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Largest weight magnitude for k bits (narrow symmetric range; 1 for the bipolar 1-bit case). */
export function weightQmax(bits: number): number {
  return bits === 1 ? 1 : 2 ** (bits - 1) - 1;
}

/** Largest activation code for k bits (unsigned); 1 for bipolar (code 1 = +1). */
export function actQmax(bits: number): number {
  return 2 ** bits - 1;
}

/** Round half away from zero (what `floor(|x| + 0.5) * sign(x)` gives), the weight quantizer's rounding. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/** JS twin of the weight quantizer: integer values for latent weights `w` ([rows][outs]) given the steps. */
export function quantizeWeightsJs(w: Float32Array, outs: number, bits: number, steps: Float64Array): Int8Array {
  const q = new Int8Array(w.length);
  const qmax = weightQmax(bits);
  for (let i = 0; i < w.length; i++) {
    const o = i % outs;
    if (bits === 1) q[i] = w[i]! >= 0 ? 1 : -1;
    else {
      // same float32 arithmetic as the tf path: w * (1/step) in float32, then round half away from zero
      const v = Math.fround(w[i]! * Math.fround(1 / steps[o]!));
      q[i] = Math.max(-qmax, Math.min(qmax, roundHalfAway(v)));
    }
  }
  return q;
}

/**
 * Weight quantizer: latent `w` (last axis = output channel) -> integer-valued float tensor, using the inverse
 * steps `invSteps` (per output channel). Rounds half away from zero, clips to the narrow symmetric range.
 */
export function quantizeWeights(w: tf.Tensor, bits: number, invSteps: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => {
    if (bits === 1) return tf.sub(tf.mul(tf.cast(tf.greaterEqual(w, 0), 'float32'), 2), 1);
    const v = tf.mul(w, invSteps);
    const r = tf.mul(tf.sign(v), tf.floor(tf.add(tf.abs(v), 0.5)));
    const qmax = weightQmax(bits);
    return tf.clipByValue(r, -qmax, qmax);
  });
}

/**
 * STE mask of the weight quantizer (clipped straight-through): 1 where the latent weight lies inside the
 * quantizer's range (|w| <= (qmax + 0.5) * step; |w| <= 1 for 1 bit), else 0.
 */
export function weightSteMask(w: tf.Tensor, bits: number, invSteps: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => {
    if (bits === 1) return tf.cast(tf.lessEqual(tf.abs(w), 1), 'float32');
    return tf.cast(tf.lessEqual(tf.abs(tf.mul(w, invSteps)), weightQmax(bits) + 0.5), 'float32');
  });
}

/**
 * Activation quantizer on the batch-normalised pre-activation z.
 * k >= 2 bits: code = clip(floor(z + 0.5), 0, 2^k - 1) (a ReLU with a fixed clip at 2^k - 1 in code units; the
 *   learned clip of PACT (Choi et al. 2018) is equivalent here to the learned BN scale).
 * 1 bit: value = z >= 0 ? +1 : -1 (bipolar sign).
 */
export function quantizeActivations(z: tf.Tensor, bits: number): tf.Tensor {
  return tf.tidy(() =>
    bits === 1 ? tf.sub(tf.mul(tf.cast(tf.greaterEqual(z, 0), 'float32'), 2), 1) : tf.clipByValue(tf.floor(tf.add(z, 0.5)), 0, actQmax(bits)),
  );
}

/**
 * STE mask of the activation quantizer: pass band [-0.5, qmax + 0.5] for k bits (clipped ReLU STE), [-1, 1] for
 * bipolar (hardtanh STE, BinaryNet).
 */
export function actSteMask(z: tf.Tensor, bits: number): tf.Tensor {
  return tf.tidy(() => {
    const centre = bits === 1 ? 0 : actQmax(bits) / 2;
    const r = bits === 1 ? 1 : actQmax(bits) / 2 + 0.5;
    return tf.cast(tf.lessEqual(tf.abs(tf.sub(z, centre)), r), 'float32');
  });
}

/** JS twin of the activation quantizer (float32 arithmetic like the tf path): z -> code (bipolar: 1 means +1). */
export function actCodeJs(z: number, bits: number): number {
  if (bits === 1) return z >= 0 ? 1 : 0;
  const v = Math.floor(Math.fround(Math.fround(z) + 0.5));
  return Math.max(0, Math.min(actQmax(bits), v));
}
