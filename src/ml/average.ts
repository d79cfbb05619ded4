/**
 * Exponential moving average of the trainable variables (Polyak & Juditsky 1992; the "EMA" of TensorFlow's
 * ExponentialMovingAverage, whose warm-up decay min(decay, (1 + n) / (10 + n)) it uses). Kept in JavaScript
 * arrays beside the model; the model is evaluated with the average by swapping it in, then re-estimating the batch
 * norm statistics for the averaged weights.
 */
import * as tf from '@tensorflow/tfjs-core';

export class WeightAverage {
  private shadow: Float32Array[] | null = null;
  private updates = 0;
  constructor(readonly decay: number) {}

  /** Fold the variables' current values into the average (call after every optimizer step). */
  update(vars: tf.Variable[]): void {
    this.updates++;
    const d = Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
    if (!this.shadow) {
      this.shadow = vars.map((v) => Float32Array.from(v.dataSync() as Float32Array));
      return;
    }
    vars.forEach((v, i) => {
      const a = v.dataSync() as Float32Array;
      const s = this.shadow![i]!;
      if (s.length !== a.length) throw new Error(`weight average: variable ${i} has ${a.length} values, the average ${s.length}`);
      for (let j = 0; j < s.length; j++) s[j] = d * s[j]! + (1 - d) * a[j]!;
    });
  }

  /** Write the average into the variables; returns their values before, for `restoreVariables`. */
  swapIn(vars: tf.Variable[]): Float32Array[] {
    if (!this.shadow) throw new Error('weight average: no update yet');
    const before = vars.map((v) => Float32Array.from(v.dataSync() as Float32Array));
    restoreVariables(vars, this.shadow);
    return before;
  }
}

/** Write saved values back into the variables. */
export function restoreVariables(vars: tf.Variable[], values: Float32Array[]): void {
  vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(values[i]!, v.shape))));
}
