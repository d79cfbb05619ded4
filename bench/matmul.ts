/**
 * Transposed matrix products on the active TF.js backend, side by side in one run: tf.matMul with a transpose flag
 * against src/ml/matmul.ts (explicit transpose, then a plain product), at the shapes of dense-layer gradients
 * (batch B, K inputs, N outputs); then the first-layer filter gradient by im2col (src/ml/conv.ts
 * im2colFilterGradient) in three operand orders: patches^T x dy (before 2026-12-04), transpose of dy then
 * dy^T x patches, and dy^T x patches with dy^T already channel-major (what poolBnActBackward writes now).
 *   npx tsx bench/matmul.ts [--reps 10]
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/ml/backend.js';
import { im2colFilterGradient } from '../src/ml/conv.js';
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
  // fresh operands every call, as in training (tfjs-wasm caches the packed right-hand operand of a repeated tensor)
  console.log('first-layer filter gradient, im2col, batch 64, fresh operands each call (ms: patches^T.dy | transpose(dy) then dy^T.patches | dy^T given)');
  console.log('   input        Co   pT.dy   T+dyT.p  dyT.p');
  for (const [h, k, co] of [[28, 3, 64], [28, 3, 32], [28, 5, 64], [26, 3, 24]] as const) {
    const cols = k * k;
    const eye = tf.reshape(tf.eye(cols), [k, k, 1, cols]) as tf.Tensor4D;
    const fresh = (f: (xp: tf.Tensor4D, dy: tf.Tensor2D, dyT: tf.Tensor2D) => tf.Tensor): number => {
      let t = 0;
      for (let i = 0; i < reps + 2; i++) {
        const xp = tf.randomNormal([64, h + k - 1, h + k - 1, 1]) as tf.Tensor4D;
        const dy = tf.randomNormal([64 * h * h, co]) as tf.Tensor2D;
        const dyT = tf.transpose(dy) as tf.Tensor2D;
        dyT.dataSync();
        xp.dataSync();
        const t0 = performance.now();
        tf.tidy(() => void f(xp, dy, dyT).dataSync());
        if (i >= 2) t += performance.now() - t0;
        tf.dispose([xp, dy, dyT]);
      }
      return t / reps;
    };
    const patches = (xp: tf.Tensor4D): tf.Tensor2D => tf.reshape(tf.conv2d(xp, eye, 1, 'valid'), [-1, cols]) as tf.Tensor2D;
    const c1 = fresh((xp, dy) => tf.matMul(tf.transpose(patches(xp)), dy));
    const c2 = fresh((xp, dy) => tf.transpose(tf.matMul(tf.transpose(dy), patches(xp))));
    const c3 = fresh((xp, _dy, dyT) => im2colFilterGradient(dyT, xp, [k, k, 1, co]));
    console.log(`  ${`${h}x${h}x1 k${k}`.padEnd(12)} ${String(co).padStart(3)}  ${c1.toFixed(2).padStart(6)}  ${c2.toFixed(2).padStart(7)}  ${c3.toFixed(2).padStart(6)}`);
    eye.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
