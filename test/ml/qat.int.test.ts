/** Needs: the Fashion-MNIST dataset. */
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Design, Layer } from '../../src/core/design.js';
import { layerInfos } from '../../src/core/design.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { runCli } from '../../src/cli/main.js';
import { initBackend } from '../../src/ml/backend.js';
import { loadDataset, type Dataset } from '../../src/ml/datasets.js';
import { exportIntModel } from '../../src/ml/export.js';
import { fastIntPredict } from '../../src/ml/intfast.js';
import { readIntModel } from '../../src/ml/intmodel-io.js';
import { intInfer } from '../../src/ml/intref.js';
import { QatModel } from '../../src/ml/qat.js';
import { predictFloat, readCheckpoint, trainDesign, writeTrainOutput } from '../../src/ml/train.js';

let train: Dataset;
let test: Dataset;

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  train = loadDataset({ name: 'fashion-mnist', split: 'train', limit: 3000 });
  test = loadDataset({ name: 'fashion-mnist', split: 'test', limit: 1000 });
});

function design(name: string, w: number, a: number, layers: Layer[]): Design {
  return { version: 1, name, input: { height: 28, width: 28, channels: 1, bits: 8 }, layers: layers.map((l) => ('wBits' in l ? { ...l, wBits: l.wBits || w, ...(l.aBits === 0 ? { aBits: a } : {}) } : l)) as Layer[], target: { part: 'xc7z020', clockMHz: 100 } };
}
const conv = (outChannels: number, padding: number): Layer => ({ kind: 'conv', outChannels, kernel: 3, padding, wBits: 0, aBits: 0, pe: 1, simd: 1 });
const pool: Layer = { kind: 'maxpool', size: 2 };
const dense = (outFeatures: number, hidden: boolean): Layer => ({ kind: 'dense', outFeatures, wBits: 0, ...(hidden ? { aBits: 0 } : {}), pe: 1, simd: 1 });

// W1A1: bipolar activations, -1 padding in the second conv, a hidden dense layer (free BN gamma)
const w1a1 = design('w1a1', 1, 1, [conv(16, 0), pool, conv(16, 1), pool, dense(32, true), dense(10, false)]);
// W2A2: the fused conv+pool path everywhere
const w2a2 = design('w2a2', 2, 2, [conv(16, 1), pool, conv(16, 1), pool, dense(10, false)]);
// W4A4: conv -> conv without a pool in between (free gamma, unfused), odd pool size (7 -> 3)
const w4a4 = design('w4a4', 4, 4, [conv(8, 1), pool, conv(16, 1), conv(16, 1), pool, pool, dense(10, false)]);

/** Compare QAT layer outputs with the integer reference's, image by image (values vs codes). */
function layerMismatches(model: QatModel, images: Uint8Array, count: number): string[] {
  const im = exportIntModel(model);
  const infos = layerInfos(model.design);
  const x = tf.tensor4d(Float32Array.from(images.subarray(0, count * 784)), [count, 28, 28, 1]);
  const outs = model.predictLayers(x);
  x.dispose();
  const bad: string[] = [];
  for (let n = 0; n < count; n++) {
    const r = intInfer(im, images.subarray(n * 784, (n + 1) * 784));
    infos.forEach((info, i) => {
      const t = outs[i];
      if (!t || info.isLast) return;
      const size = info.outShape.height * info.outShape.width * info.outShape.channels;
      const v = (t.dataSync() as Float32Array).subarray(n * size, (n + 1) * size);
      const ref = r.layerOutputs[i]!;
      for (let j = 0; j < size; j++) {
        const q = info.outBipolar ? (v[j]! + 1) / 2 : v[j]!;
        if (q !== ref[j]) {
          bad.push(`image ${n} layer ${i} (${info.name}) element ${j}: QAT ${q} vs integer ${ref[j]}`);
          return;
        }
      }
    });
  }
  outs.forEach((t) => t?.dispose());
  return bad;
}

describe('QAT model vs integer reference', () => {
  for (const [label, d] of [['W1A1', w1a1], ['W2A2', w2a2], ['W4A4', w4a4]] as const) {
    it(`${label}: trained briefly, top-1 agreement >= 99.9% on 1000 test images and bit-exact hidden layers`, async () => {
      const r = await trainDesign(d, { dataset: 'fashion-mnist', epochs: 1, seed: 7, train, test, batchSize: 64, refCheck: 0 });
      expect(r.testCount).toBe(1000);
      // it learned something (10 classes: chance is 10%)
      expect(r.floatTestAcc).toBeGreaterThan(0.4);
      // golden integer reference on every one of the 1000 test images
      const model = new QatModel(d, 1);
      model.loadCheckpoint(r.checkpoint!);
      const floatPred = predictFloat(model, test, 1000);
      let agree = 0;
      let correct = 0;
      for (let i = 0; i < 1000; i++) {
        const p = intInfer(r.intModel, test.images.subarray(i * 784, (i + 1) * 784)).prediction;
        if (p === floatPred[i]) agree++;
        if (p === test.labels[i]) correct++;
      }
      expect(agree / 1000).toBeGreaterThanOrEqual(0.999);
      expect(correct / 1000).toBeCloseTo(r.intTestAcc, 6);
      expect(r.agreement).toBeGreaterThanOrEqual(0.999);
      // hidden layers bit-exact on a few images
      expect(layerMismatches(model, test.images, 8)).toEqual([]);
      model.dispose();
    });
  }

  it('negative BN scales: export negates those channels and stays bit-exact', () => {
    const d = design('neg', 2, 2, [conv(8, 1), conv(8, 1), pool, dense(10, false)]);
    const model = new QatModel(d, 3);
    const x = tf.tensor4d(Float32Array.from(train.images.subarray(0, 64 * 784)), [64, 28, 28, 1]);
    const y = tf.tensor1d(Int32Array.from(train.labels.subarray(0, 64)), 'int32');
    for (let s = 0; s < 3; s++) model.trainStep(x, y, { lr: 1e-3 }).dispose();
    const l0 = model.computeLayers()[0]!;
    expect(l0.fusedPool).toBe(0); // conv followed by conv: free gamma
    l0.gamma!.assign(tf.tensor1d([-1, 0.8, -0.3, 1.1, -2, 0, 0.5, -0.9]));
    const im = exportIntModel(model);
    const w = (im.layers[0] as { weights: Int8Array }).weights;
    const wq = model.quantizedWeights(l0).dataSync();
    // channel 0 negated, channel 1 not (weights [out][ky,kx,ci], tf [ky,kx,ci][out])
    for (let j = 0; j < 9; j++) {
      expect(w[0 * 9 + j]).toBe(-wq[j * 8 + 0]! + 0);
      expect(w[1 * 9 + j]).toBe(wq[j * 8 + 1]! + 0);
    }
    expect(layerMismatches(model, test.images, 6)).toEqual([]);
    x.dispose();
    y.dispose();
    model.dispose();
  });
});

describe('training kernels', () => {
  it("fused JS kernels and the plain TF.js-op path ('tf', used for stock comparisons) compute the same step", async () => {
    // on the cpu backend: its MaxPoolGrad routes ties to the first maximum like the JS kernel (wasm's picks the
    // last one; both are valid subgradients, but they differ where integer accumulators tie); this also exercises
    // the JS kernels' copy path for non-wasm backends
    await initBackend('cpu');
    const grads: Record<string, Float32Array> = {};
    const losses: Record<string, number> = {};
    try {
      for (const k of ['js', 'tf'] as const) {
        const m = new QatModel(w1a1, 4);
        m.kernels = k;
        const x = tf.tensor4d(Float32Array.from(train.images.subarray(0, 8 * 784)), [8, 28, 28, 1]);
        const y = tf.tensor1d(Int32Array.from(train.labels.subarray(0, 8)), 'int32');
        const r = m.computeGradients(x, y);
        losses[k] = r.loss.dataSync()[0]!;
        grads[k] = m.flattenGradients(r.grads);
        r.loss.dispose();
        r.grads.forEach((g) => g.dispose());
        x.dispose();
        y.dispose();
        m.dispose();
      }
    } finally {
      await initBackend('wasm');
    }
    expect(losses.js).toBeCloseTo(losses.tf!, 3);
    let num = 0;
    let den = 0;
    grads.js!.forEach((v, i) => {
      num += (v - grads.tf![i]!) ** 2;
      den += v * v;
    });
    // equal up to float rounding (batch statistics in float64 vs float32 can flip a rare quantizer boundary)
    expect(Math.sqrt(num / den)).toBeLessThan(0.02);
  });
});

describe('weight quantizer steps', () => {
  it('2 bits: 1.4 * mean|w| per output channel (TWN); >= 3 bits: max|w| / qmax; the classifier per tensor', () => {
    const d = design('steps', 2, 2, [conv(4, 1), pool, dense(10, false)]);
    const d4 = { ...d, layers: d.layers.map((l) => ('wBits' in l ? { ...l, wBits: 4 } : l)) } as Design;
    for (const [dd, bits] of [[d, 2], [d4, 4]] as const) {
      const m = new QatModel(dd, 2);
      const [c0, last] = m.computeLayers();
      const w0 = c0!.w.dataSync();
      const inv0 = m.invSteps(c0!).dataSync();
      for (let o = 0; o < 4; o++) {
        const col = Array.from({ length: 9 }, (_, j) => Math.abs(w0[j * 4 + o]!));
        const step = bits === 2 ? (1.4 * col.reduce((s, v) => s + v, 0)) / 9 : Math.max(...col) / 7;
        expect(1 / inv0[o]!).toBeCloseTo(step, 5);
      }
      const invL = Array.from(m.invSteps(last!).dataSync());
      expect(new Set(invL).size).toBe(1);
      m.dispose();
    }
  });
});

describe('batched integer inference', () => {
  it('equals intInfer on random integer models and real images', () => {
    const d = design('rand', 2, 2, [conv(8, 1), pool, conv(8, 0), pool, dense(10, false)]);
    // 8-bit activations: 255 thresholds per channel (once exhausted wasm memory with a tensor per threshold)
    const d8 = design('rand8', 4, 8, [conv(8, 1), pool, conv(8, 0), pool, dense(10, false)]);
    for (const [dd, seed] of [[d, 1], [w1a1, 2], [w4a4, 3], [d8, 4]] as const) {
      const m = randomIntModel(dd, seed);
      const n = 30;
      const { predictions, logits } = fastIntPredict(m, test.images, n, { logits: true, batch: 7 });
      for (let i = 0; i < n; i++) {
        const r = intInfer(m, test.images.subarray(i * 784, (i + 1) * 784));
        expect(Array.from(logits!.subarray(i * 10, (i + 1) * 10))).toEqual(Array.from(r.logits));
        expect(predictions[i]).toBe(r.prediction);
      }
    }
  });
});

describe('trainDesign / writeTrainOutput', () => {
  it('is deterministic for a seed, writes all outputs atomically and they read back', async () => {
    const opts = { dataset: 'fashion-mnist' as const, epochs: 1, seed: 5, train, test, trainLimit: 512, testLimit: 200, batchSize: 64, refCheck: 20 };
    const a = await trainDesign(w2a2, opts);
    const b = await trainDesign(w2a2, opts);
    expect(a.trainCount).toBe(512);
    expect(a.refChecked).toBe(20);
    for (let i = 0; i < a.intModel.layers.length; i++) {
      const la = a.intModel.layers[i]!;
      const lb = b.intModel.layers[i]!;
      if (la.kind === 'maxpool') continue;
      expect(Buffer.from((la as { weights: Int8Array }).weights).equals(Buffer.from((lb as { weights: Int8Array }).weights))).toBe(true);
      expect(Array.from((la as { thresholds: Int32Array | null }).thresholds ?? [])).toEqual(Array.from((lb as { thresholds: Int32Array | null }).thresholds ?? []));
    }
    expect(a.floatTestAcc).toBe(b.floatTestAcc);
    const c = await trainDesign(w2a2, { ...opts, seed: 6 });
    expect(Buffer.from((c.intModel.layers[0] as { weights: Int8Array }).weights).equals(Buffer.from((a.intModel.layers[0] as { weights: Int8Array }).weights))).toBe(false);

    const dir = mkdtempSync(join(tmpdir(), 'cosearch-train-'));
    const files = writeTrainOutput(dir, a);
    for (const f of ['checkpoint.json', 'checkpoint.bin', 'intmodel.json', 'intmodel.bin', 'accuracy.json']) expect(existsSync(join(dir, f))).toBe(true);
    expect(files).toHaveLength(5);
    const acc = JSON.parse(readFileSync(join(dir, 'accuracy.json'), 'utf8'));
    expect(acc).toMatchObject({ floatTestAcc: a.floatTestAcc, intTestAcc: a.intTestAcc, agreement: a.agreement, testCount: 200 });
    const im = readIntModel(dir);
    for (let i = 0; i < 20; i++) {
      const img = test.images.subarray(i * 784, (i + 1) * 784);
      expect(intInfer(im, img).logits).toEqual(intInfer(a.intModel, img).logits);
    }
    // the checkpoint restores the float model: same predictions, same export
    const ck = await readCheckpoint(dir);
    const m = new QatModel(w2a2, 99);
    m.loadCheckpoint(ck);
    const re = exportIntModel(m);
    expect(Buffer.from((re.layers[2] as { weights: Int8Array }).weights).equals(Buffer.from((a.intModel.layers[2] as { weights: Int8Array }).weights))).toBe(true);
    m.dispose();
  });

  it('a fractional schedule trains round(batches x epochs) steps, ending part-way through its last epoch', async () => {
    const seen: Array<{ epoch: number; batch: number; batches: number }> = [];
    const r = await trainDesign(w2a2, { dataset: 'fashion-mnist', epochs: 1.5, seed: 5, train, test, trainLimit: 512, testLimit: 100, batchSize: 64, refCheck: 0, curveImages: 100, onProgress: (p) => seen.push(p) });
    // 8 batches an epoch: 12 steps, 8 in epoch 1 and 4 in epoch 2
    expect(seen).toHaveLength(12);
    expect(seen.filter((p) => p.epoch === 1)).toHaveLength(8);
    expect(seen.filter((p) => p.epoch === 2).map((p) => p.batch)).toEqual([1, 2, 3, 4]);
    expect(seen.at(-1)!.batches).toBe(4);
    expect(r.curve!.map((c) => c.epoch)).toEqual([1, 1.5]);
  });

  it('data-parallel training (2 threads) is deterministic and keeps the integer export exact', async () => {
    const opts = { dataset: 'fashion-mnist' as const, epochs: 1, seed: 5, train, test, trainLimit: 512, testLimit: 300, batchSize: 64, refCheck: 30, workers: 2 };
    const a = await trainDesign(w2a2, opts);
    const b = await trainDesign(w2a2, opts);
    expect(a.workers).toBe(2);
    expect(Buffer.from((a.intModel.layers[2] as { weights: Int8Array }).weights).equals(Buffer.from((b.intModel.layers[2] as { weights: Int8Array }).weights))).toBe(true);
    expect(a.floatTestAcc).toBe(b.floatTestAcc);
    expect(a.agreement).toBeGreaterThanOrEqual(0.999);
    expect(a.floatTestAcc).toBeGreaterThan(0.25); // 8 steps of 64 images: well above chance (10%)
  });

  it('variants of the end of training (moving averages, BN re-estimation) are measured without changing the result', async () => {
    const opts = { dataset: 'fashion-mnist' as const, epochs: 1, seed: 5, train, test, trainLimit: 512, testLimit: 300, batchSize: 64, refCheck: 0 };
    const plain = await trainDesign(w2a2, opts);
    const r = await trainDesign(w2a2, { ...opts, compareVariants: [{ decay: 0.9, bnBatches: 2 }, { decay: 0, bnBatches: 16 }, { decay: 0.5, bnBatches: 16 }] });
    // the weights are restored after each variant: the result is the plain training's, bit for bit
    expect(r.floatTestAcc).toBe(plain.floatTestAcc);
    expect(Buffer.from((r.intModel.layers[2] as { weights: Int8Array }).weights).equals(Buffer.from((plain.intModel.layers[2] as { weights: Int8Array }).weights))).toBe(true);
    expect(r.variants!.map((v) => [v.decay, v.bnBatches])).toEqual([[0.9, 2], [0, 16], [0.5, 16]]);
    // decay 0 with the default 16 batches is the result itself; the 0.5 average of the 8 steps is another model
    expect(r.variants![1]!.floatTestAcc).toBe(plain.floatTestAcc);
    expect(r.variants![2]!.floatTestAcc).not.toBe(plain.floatTestAcc);
  });

  it('a deadline sets the schedule to what fits at the measured pace, within [minEpochs, maxEpochs]; one that needs the planned steps changes nothing', async () => {
    // 512 images at batch 64: 8 steps per epoch, 32 planned; the pace is checked every DEADLINE_EVERY (8) steps
    const opts = { dataset: 'fashion-mnist' as const, epochs: 4, seed: 6, train, test, trainLimit: 512, testLimit: 200, batchSize: 64, refCheck: 0, curveImages: 100 };
    const plain = await trainDesign(w2a2, opts);
    const far = await trainDesign(w2a2, { ...opts, deadline: { seconds: 1e6, minEpochs: 2, maxEpochs: 4 } });
    expect(far.epochs).toBe(4);
    expect(Buffer.from((far.intModel.layers[2] as { weights: Int8Array }).weights).equals(Buffer.from((plain.intModel.layers[2] as { weights: Int8Array }).weights))).toBe(true);
    expect(far.floatTestAcc).toBe(plain.floatTestAcc);
    // already past: the first check cuts to the 2-epoch floor (16 steps), and the curve ends there
    const cut = await trainDesign(w2a2, { ...opts, deadline: { seconds: 1e-3, minEpochs: 2, maxEpochs: 4 } });
    expect(cut.epochs).toBe(2);
    expect(cut.intModel.meta?.epochs).toBe(2);
    expect(cut.curve!.map((p) => p.epoch)).toEqual([1, 2]);
    expect(Buffer.from((cut.intModel.layers[2] as { weights: Int8Array }).weights).equals(Buffer.from((plain.intModel.layers[2] as { weights: Int8Array }).weights))).toBe(false);
    // time to spare: it trains up to maxEpochs, the learning rate stretched over them
    const more = await trainDesign(w2a2, { ...opts, deadline: { seconds: 1e6, minEpochs: 2, maxEpochs: 6 } });
    expect(more.epochs).toBe(6);
    expect(more.curve!.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects a design that does not fit the dataset (DataError 65)', async () => {
    const bad = { ...w2a2, input: { height: 32, width: 32, channels: 1, bits: 8 } };
    await expect(trainDesign(bad, { dataset: 'fashion-mnist', epochs: 1, seed: 1, train, test })).rejects.toMatchObject({ exitCode: 65 });
  });
});

describe('cosearch train (CLI)', () => {
  it('trains, writes the outputs, and reports bad input with the documented exit codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cosearch-cli-'));
    const designFile = join(dir, 'd.json');
    writeFileSync(designFile, JSON.stringify(w2a2));
    const out = join(dir, 'out');
    const code = await runCli(['train', designFile, '--epochs', '1', '--train-limit', '256', '--test-limit', '100', '--batch-size', '64', '--backend', 'wasm', '--out', out]);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'accuracy.json'), 'utf8')).testCount).toBe(100);
    expect(await runCli(['train', designFile, '--data', join(dir, 'missing'), '--out', out])).toBe(66);
    expect(await runCli(['train', join(__dirname, '..', 'fixtures', 'designs', 'tiny-w2a2.json'), '--train-limit', '64', '--out', out])).toBe(65);
    expect(await runCli(['train', designFile, '--epochs', '0', '--out', out])).toBe(64);
  });
});
