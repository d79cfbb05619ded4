/**
 * Transposed matrix products on the active TF.js backend, side by side in one run: tf.matMul with a transpose flag
 * against src/ml/matmul.ts (explicit transpose, then a plain product), at the shapes of dense-layer gradients
 * (batch B, K inputs, N outputs).
 *   npx tsx bench/matmul.ts [--reps 10]
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/ml/backend.js';
import { matMulAT, matMulBT } from '../src/ml/matmul.js';
import { arg } from './lib/args.js';

async function main(): Promise<void> {
  const reps = Number(arg('reps', '10'));
  const backend = await initBackend('auto');
  const ms = (f: () => tf.Tensor): number => {
    for (let i = 0; i < 2; i++) tf.tidy(() => void f().dataSync());
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) tf.tidy(() => void f().dataSync());
    return (performance.now() - t0) / reps;
  };
  console.log(`backend ${backend}, ${reps} reps; ms per product (flag / explicit transpose = speed-up)`);
  console.log('   B      K     N   dW flag  dW expl  ratio   dX flag  dX expl  ratio');
  for (const [B, K, N] of [[64, 3136, 128], [128, 3136, 128], [128, 6272, 64], [64, 1568, 128], [64, 128, 10]] as const) {
    const x = tf.randomNormal([B, K]) as tf.Tensor2D;
    const dy = tf.randomNormal([B, N]) as tf.Tensor2D;
    const w = tf.randomNormal([K, N]) as tf.Tensor2D;
    const a1 = ms(() => tf.matMul(x, dy, true, false));
    const a2 = ms(() => matMulAT(x, dy));
    const b1 = ms(() => tf.matMul(dy, w, false, true));
    const b2 = ms(() => matMulBT(dy, w));
    console.log(`${String(B).padStart(4)} ${String(K).padStart(6)} ${String(N).padStart(5)}  ${a1.toFixed(2).padStart(8)} ${a2.toFixed(2).padStart(8)} ${(a1 / a2).toFixed(1).padStart(6)}  ${b1.toFixed(2).padStart(8)} ${b2.toFixed(2).padStart(8)} ${(b1 / b2).toFixed(1).padStart(6)}`);
    tf.dispose([x, dy, w]);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
