/**
 * QAT engine benchmark. Prints, in one run:
 *  - training images/s of the reference W2A2 CNN (test/golden/ref-w2a2.json) on the engine's CPU path
 *    (wasm backend, forward-only conv gradients, fused JS pool/BN/quantizer kernels) at batch 128 and at the stock
 *    run's batch size;
 *  - the same training step with stock TF.js on the cpu backend (TF.js's own Conv2DBackpropInput/Filter and
 *    MaxPoolGrad kernels and TF.js ops for BN/quantizers, i.e. what tfjs autodiff runs) for a few small batches;
 *  - data-parallel training on 2 threads (main + 1 worker, each with its own wasm backend);
 *  - the ratios and the peak resident memory (main thread + workers share the process).
 * With --full: a full training run (default 10 epochs, all 60k images) and the integer-reference test accuracy on
 * the 10k test images with the golden intInfer (plus the batched exact path and the float/integer agreement).
 *
 *   npx tsx bench/qat.ts [--full] [--epochs N] [--workers N] [--design FILE] [--stock-batch N] [--stock-steps N] [--steps N]
 *
 * Other processes sharing the cores make absolute figures noisy; engine and stock steps are interleaved so the
 * ratio is measured under the same load.
 */
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { loadDesign } from '../src/config.js';
import { packageRoot } from '../src/io.js';
import { initBackend, describeBackend } from '../src/ml/backend.js';
import { loadDataset, type Dataset } from '../src/ml/datasets.js';
import { intInfer } from '../src/ml/intref.js';
import { QatModel } from '../src/ml/qat.js';
import { trainDesign } from '../src/ml/train.js';
import { ParallelTrainer } from '../src/ml/parallel.js';
import { availableParallelism } from 'node:os';
import type { Design } from '../src/core/design.js';
import { arg } from './lib/args.js';

const full = process.argv.includes('--full');
const designFile = arg('design', join(packageRoot(), 'test', 'golden', 'ref-w2a2.json'));
const stockBatch = Number(arg('stock-batch', '16'));
const stockSteps = Number(arg('stock-steps', '2'));
const engineSteps = Number(arg('steps', '10'));
const epochs = Number(arg('epochs', '10'));

function batch(ds: Dataset, from: number, n: number): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const px = ds.height * ds.width * ds.channels;
  const xs = new Float32Array(n * px);
  for (let i = 0; i < n * px; i++) xs[i] = ds.images[(from * px + i) % ds.images.length]!;
  const ys = Int32Array.from({ length: n }, (_, i) => ds.labels[(from + i) % ds.count]!);
  return { x: tf.tensor4d(xs, [n, ds.height, ds.width, ds.channels]), y: tf.tensor1d(ys, 'int32') };
}

/** Median ms per step over `steps` timed steps (after one warm-up step). */
function timeSteps(model: QatModel, ds: Dataset, n: number, steps: number, offset: number): number[] {
  const times: number[] = [];
  for (let s = 0; s <= steps; s++) {
    const { x, y } = batch(ds, offset + s * n, n);
    const t0 = performance.now();
    const loss = model.trainStep(x, y, { lr: 1e-3 });
    loss.dataSync();
    const ms = performance.now() - t0;
    loss.dispose();
    x.dispose();
    y.dispose();
    if (s > 0) times.push(ms);
  }
  return times;
}
/** ms per step of data-parallel training with `threads` threads (main + workers). */
async function timeParallel(design: Design, ds: Dataset, threads: number, n: number, steps: number, offset: number): Promise<number[]> {
  const model = new QatModel(design, 1);
  const trainer = await ParallelTrainer.create(model, 1, threads - 1, 'wasm');
  const px = ds.height * ds.width * ds.channels;
  const times: number[] = [];
  try {
    for (let s = 0; s <= steps; s++) {
      const from = offset + s * n;
      const xs = new Float32Array(n * px);
      for (let i = 0; i < n * px; i++) xs[i] = ds.images[(from * px + i) % ds.images.length]!;
      const ys = Int32Array.from({ length: n }, (_, i) => ds.labels[(from + i) % ds.count]!);
      const t0 = performance.now();
      await trainer.step(xs, [n, ds.height, ds.width, ds.channels], ys, { lr: 1e-3 });
      if (s > 0) times.push(performance.now() - t0);
    }
  } finally {
    await trainer.close();
    model.dispose();
  }
  return times;
}

const median = (a: number[]): number => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;

async function speed(design: Design, ds: Dataset): Promise<void> {
  await initBackend('wasm');
  const engineDesc = await describeBackend();
  const engine = new QatModel(design, 1);
  const e1 = timeSteps(engine, ds, 128, Math.ceil(engineSteps / 2), 0);
  const eSmall1 = timeSteps(engine, ds, stockBatch, 3, 4096);
  // stock TF.js on the cpu backend, interleaved between the engine runs
  await initBackend('cpu');
  const stock = new QatModel(design, 1);
  stock.kernels = 'tf';
  stock.convGradMode = 'stock';
  const st: number[] = [];
  for (let s = 0; s < stockSteps; s++) {
    const { x, y } = batch(ds, 8192 + s * stockBatch, stockBatch);
    const t0 = performance.now();
    const loss = stock.trainStep(x, y, { lr: 1e-3 });
    loss.dataSync();
    st.push(performance.now() - t0);
    loss.dispose();
    x.dispose();
    y.dispose();
  }
  stock.dispose();
  await initBackend('wasm');
  const e2 = timeSteps(engine, ds, 128, Math.floor(engineSteps / 2), 16384);
  const eSmall2 = timeSteps(engine, ds, stockBatch, 3, 20480);
  engine.dispose();
  const threads = Math.min(2, availableParallelism());
  const par = threads > 1 ? await timeParallel(design, ds, threads, 128, engineSteps, 24576) : [];
  const engineIps = (128 * 1000) / median([...e1, ...e2]);
  const engineSmallIps = (stockBatch * 1000) / median([...eSmall1, ...eSmall2]);
  const stockIps = (stockBatch * 1000) / median(st);
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`design: ${design.name} (${designFile})`);
  console.log(`engine CPU path: ${engineDesc}, forward-only conv gradients, fused JS pool/BN/quantizer kernels`);
  console.log(`  batch 128: ${engineIps.toFixed(0)} images/s (median of ${e1.length + e2.length} steps, ${median([...e1, ...e2]).toFixed(0)} ms/step)`);
  console.log(`  batch ${stockBatch}: ${engineSmallIps.toFixed(0)} images/s`);
  const parIps = par.length ? (128 * 1000) / median(par) : 0;
  if (par.length) console.log(`  batch 128, data parallel on ${threads} threads: ${parIps.toFixed(0)} images/s (median of ${par.length} steps)`);
  console.log(`stock tfjs cpu (Conv2DBackpropInput/Filter, MaxPoolGrad, TF.js ops): batch ${stockBatch}: ${stockIps.toFixed(2)} images/s (${st.map((t) => (t / 1000).toFixed(1)).join(', ')} s/step)`);
  console.log(`ratio engine/stock: ${(engineIps / stockIps).toFixed(0)}x (1 thread, batch 128), ${(engineSmallIps / stockIps).toFixed(0)}x (1 thread, same batch ${stockBatch})${par.length ? `, ${(parIps / stockIps).toFixed(0)}x (${threads} threads, batch 128)` : ''}`);
  console.log(`peak RSS: ${rssMiB.toFixed(0)} MiB`);
}

async function fullRun(design: Design): Promise<void> {
  const t0 = performance.now();
  let lastEpoch = 0;
  const r = await trainDesign(design, {
    dataset: 'fashion-mnist',
    epochs,
    seed: 1,
    backend: 'wasm',
    workers: Number(arg('workers', String(Math.min(2, availableParallelism())))),
    onProgress: (p) => {
      if (p.batch === p.batches && p.epoch !== lastEpoch) {
        lastEpoch = p.epoch;
        console.log(`epoch ${p.epoch}/${epochs}: loss ${p.loss.toFixed(4)}, ${p.imagesPerSec.toFixed(0)} images/s`);
      }
    },
  });
  const test = loadDataset({ name: 'fashion-mnist', split: 'test' });
  // golden integer reference on all test images
  const tg = performance.now();
  let correct = 0;
  for (let i = 0; i < test.count; i++) if (intInfer(r.intModel, test.images.subarray(i * 784, (i + 1) * 784)).prediction === test.labels[i]) correct++;
  const goldenSec = (performance.now() - tg) / 1000;
  console.log(`full training: ${epochs} epochs x ${r.trainCount} images in ${r.trainSeconds.toFixed(0)} s (${r.imagesPerSec.toFixed(0)} images/s), total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  console.log(`test accuracy (${r.testCount} images): float QAT ${(100 * r.floatTestAcc).toFixed(2)}%, integer (batched exact) ${(100 * r.intTestAcc).toFixed(2)}%, agreement ${(100 * r.agreement).toFixed(2)}%`);
  console.log(`integer reference (golden intInfer, ${test.count} images, ${goldenSec.toFixed(0)} s): ${((100 * correct) / test.count).toFixed(2)}%`);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

const design = loadDesign(designFile);
const ds = loadDataset({ name: 'fashion-mnist', split: 'train', limit: 32768 });
await speed(design, ds);
if (full) await fullRun(design);
