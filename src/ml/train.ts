/**
 * Quantization-aware training of a design on a dataset, integer export and accuracy measurement.
 *
 * trainDesign: seeded (weights from src/core/rng.ts, shuffling from the same seed), deterministic for a given seed
 * on the same backend. Adam with cosine learning-rate decay; batch norm statistics re-estimated at the end.
 * Accuracies: float QAT model (inference mode) and integer model on the test split, plus their top-1 agreement.
 * The integer accuracy runs the batched exact integer inference (src/ml/intfast.ts) over the whole test split and
 * checks it image by image against the golden `intInfer` on the first `refCheck` images (a mismatch is a bug and
 * throws).
 */
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Design } from '../core/design.js';
import { numClasses } from '../core/design.js';
import type { IntModel } from '../core/intmodel.js';
import { Rng } from '../core/rng.js';
import { DataError } from '../errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../io.js';
import { initBackend, type BackendPref } from './backend.js';
import { loadDataset, type Dataset, type DatasetName } from './datasets.js';
import { exportIntModel } from './export.js';
import { fastIntInferSupported, fastIntPredict } from './intfast.js';
import { writeIntModel } from './intmodel-io.js';
import { intInfer } from './intref.js';
import { QatModel, type QatCheckpoint } from './qat.js';
import { ParallelTrainer } from './parallel.js';
import { restoreVariables, WeightAverage } from './average.js';
import { DEFAULT_RECIPE, getRecipe, learningRate } from './recipe.js';

export interface TrainProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  imagesPerSec: number;
}

export interface TrainOptions {
  dataset: DatasetName;
  dataDir?: string;
  /** passes over the training images; a fraction ends part-way through the last (the steps are rounded) */
  epochs: number;
  seed: number;
  batchSize?: number;
  trainLimit?: number;
  testLimit?: number;
  lr?: number;
  /** backend preference (default 'auto') */
  backend?: BackendPref;
  /** images checked against the golden intInfer (default 200; 0 disables) */
  refCheck?: number;
  /**
   * threads computing each step (data parallel: the main thread plus workers-1 worker threads, each with its own
   * backend; default 1). Results are deterministic for a given seed, worker count and backend.
   */
  workers?: number;
  /** training recipe (src/ml/recipe.ts; default 'base': Adam, cosine decay, no augmentation) */
  recipe?: string;
  /** measure the float model's test accuracy after every epoch on the first N test images (0 = no curve) */
  curveImages?: number;
  /** batches used to re-estimate batch-norm statistics after training (default 16) */
  bnRecalBatches?: number;
  onProgress?: (p: TrainProgress) => void;
  /**
   * measure, besides the result, the float test accuracy of each variant of the end of training: the trained weights
   * (decay 0) or a moving average of them (src/ml/average.ts), with batch-norm statistics re-estimated over
   * `bnBatches` training batches (the training recipe bench: variants paired on one training)
   */
  compareVariants?: Array<{ decay: number; bnBatches: number }>;
  /**
   * Wall seconds the training loop is to fill (a final training that fills its share of --budget-minutes): from
   * DEADLINE_FROM of the steps on, the loop measures its pace and sets its total steps to what fits in these seconds,
   * within [minEpochs, maxEpochs] (fewer than planned when it runs slower than planned, more when faster), and the
   * learning-rate schedule is mapped onto them, so it still decays to its end. Without it the result depends only on
   * the inputs; with it also on the machine's pace (TrainResult.epochs says what was trained).
   */
  deadline?: { seconds: number; minEpochs: number; maxEpochs: number };
  /** pre-loaded splits (skip disk reads; e.g. the search helper training many candidates) */
  train?: Dataset;
  test?: Dataset;
}

export interface TrainResult {
  intModel: IntModel;
  floatTestAcc: number;
  intTestAcc: number;
  agreement: number;
  testCount: number;
  trainSeconds: number;
  imagesPerSec: number;
  /** extras (optional in the contract) */
  backend?: string;
  workers?: number;
  trainCount?: number;
  /** epochs trained: opts.epochs, or what the deadline set (steps / batches per epoch, in tenths) */
  epochs?: number;
  seed?: number;
  dataset?: DatasetName;
  finalLoss?: number;
  refChecked?: number;
  checkpoint?: QatCheckpoint;
  recipe?: string;
  /** float test accuracy after each epoch on the first curveImages test images */
  curve?: Array<{ epoch: number; acc: number }>;
  /** with compareVariants: the float test accuracy of each */
  variants?: Array<{ decay: number; bnBatches: number; floatTestAcc: number }>;
}

export const DEFAULT_BATCH_SIZE = 128;
export const DEFAULT_LR = 3e-3;

/**
 * A deadline's pace is measured from this fraction of the planned steps on, over the last DEADLINE_WINDOW of them (at
 * least 8 checks), and checked every DEADLINE_EVERY steps.
 */
export const DEADLINE_FROM = 0.05;
export const DEADLINE_WINDOW = 0.1;
export const DEADLINE_EVERY = 8;

/**
 * The training's steps against its learning-rate schedule: planned for `planned` steps; `replan` at a step sets a
 * new total (fewer or more) and maps the remaining steps linearly onto what is left of the planned schedule, so the
 * learning rate stays continuous and still reaches the schedule's end. Until a replan, `virtual(step)` is `step`.
 */
export class StepSchedule {
  total: number;
  private s0 = 0;
  private v0 = 0;
  private scale = 1;
  constructor(private readonly planned: number) {
    this.total = planned;
  }
  virtual(step: number): number {
    return this.v0 + (step - this.s0) * this.scale;
  }
  replan(step: number, total: number): void {
    if (total === this.total) return;
    const v = this.virtual(step);
    this.s0 = step;
    this.v0 = v;
    this.scale = total > step ? (this.planned - v) / (total - step) : 1;
    this.total = total;
  }
}

function checkCompatible(design: Design, ds: Dataset): void {
  const i = design.input;
  if (i.height !== ds.height || i.width !== ds.width || i.channels !== ds.channels)
    throw new DataError(`design input ${i.height}x${i.width}x${i.channels} does not match the ${ds.name} images (${ds.height}x${ds.width}x${ds.channels})`, { jsonPath: '/input', hint: `use --dataset matching the design, or set input to ${ds.height}x${ds.width}x${ds.channels}` });
  if (i.bits !== 8) throw new DataError(`design input bits ${i.bits}: dataset images are 8-bit codes`, { jsonPath: '/input/bits', hint: 'set input.bits to 8' });
  const nc = numClasses(design);
  if (nc !== ds.numClasses) throw new DataError(`the last layer has ${nc} outputs but ${ds.name} has ${ds.numClasses} classes`, { jsonPath: `/layers/${design.layers.length - 1}`, hint: `set the last layer to ${ds.numClasses} outputs` });
}

/** Per-batch augmentation drawn from its own seeded stream: a shift (dx, dy) and a flip per image. */
export interface Augment {
  rng: Rng;
  shift: number;
  flip: number;
}

/**
 * Gather a batch of dataset records as float32 codes + int32 labels; with `aug`, each image is translated by a
 * random (dx, dy) in [-shift, shift]^2 with zero fill (the background code of the digit/clothing datasets) and
 * mirrored left-right with probability `flip`.
 */
export function batchArrays(ds: Dataset, idx: ArrayLike<number>, from: number, n: number, aug?: Augment): { xs: Float32Array; ys: Int32Array; shape: [number, number, number, number] } {
  const { height: H, width: W, channels: C } = ds;
  const px = H * W * C;
  const xs = new Float32Array(n * px);
  const ys = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const s = idx[from + r]!;
    const src = ds.images.subarray(s * px, (s + 1) * px);
    ys[r] = ds.labels[s]!;
    const dst = r * px;
    if (!aug || (aug.shift === 0 && aug.flip === 0)) {
      for (let j = 0; j < px; j++) xs[dst + j] = src[j]!;
      continue;
    }
    const span = 2 * aug.shift + 1;
    const dx = aug.shift ? Math.floor(aug.rng.next() * span) - aug.shift : 0;
    const dy = aug.shift ? Math.floor(aug.rng.next() * span) - aug.shift : 0;
    const flip = aug.flip > 0 && aug.rng.next() < aug.flip;
    for (let y = 0; y < H; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= H) continue;
      for (let x = 0; x < W; x++) {
        const sx0 = x - dx;
        if (sx0 < 0 || sx0 >= W) continue;
        const sx = flip ? W - 1 - sx0 : sx0;
        for (let c = 0; c < C; c++) xs[dst + (y * W + x) * C + c] = src[(sy * W + sx) * C + c]!;
      }
    }
  }
  return { xs, ys, shape: [n, H, W, C] };
}

/** Fill a batch tensor from dataset records. */
function batchTensor(ds: Dataset, idx: ArrayLike<number>, from: number, n: number): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const { xs, ys, shape } = batchArrays(ds, idx, from, n);
  return { x: tf.tensor4d(xs, shape), y: tf.tensor1d(ys, 'int32') };
}

/** Float-model predictions on a dataset (inference mode). */
export function predictFloat(model: QatModel, ds: Dataset, count = ds.count, batch = 500): Int32Array {
  const out = new Int32Array(count);
  const all = Int32Array.from({ length: count }, (_, i) => i);
  for (let s = 0; s < count; s += batch) {
    const n = Math.min(batch, count - s);
    const { x, y } = batchTensor(ds, all, s, n);
    const p = tf.tidy(() => tf.argMax(model.predict(x), 1));
    out.set(p.dataSync() as Int32Array, s);
    p.dispose();
    x.dispose();
    y.dispose();
  }
  return out;
}

function accuracyOf(pred: ArrayLike<number>, ds: Dataset): number {
  let ok = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === ds.labels[i]) ok++;
  return ok / Math.max(pred.length, 1);
}

/** Integer-model predictions with the batched exact path, falling back to the golden reference. */
export function predictInt(model: IntModel, ds: Dataset, count = ds.count): Int32Array {
  const px = ds.height * ds.width * ds.channels;
  if (fastIntInferSupported(model)) return fastIntPredict(model, ds.images, count).predictions;
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = intInfer(model, ds.images.subarray(i * px, (i + 1) * px)).prediction;
  return out;
}

export async function trainDesign(design: Design, opts: TrainOptions): Promise<TrainResult> {
  const backend = await initBackend(opts.backend ?? 'auto');
  const train = opts.train ?? loadDataset({ name: opts.dataset, dir: opts.dataDir, split: 'train', limit: opts.trainLimit });
  const test = opts.test ?? loadDataset({ name: opts.dataset, dir: opts.dataDir, split: 'test', limit: opts.testLimit });
  const trainCount = Math.min(train.count, opts.trainLimit ?? Infinity);
  const testCount = Math.min(test.count, opts.testLimit ?? Infinity);
  checkCompatible(design, train);
  const batchSize = Math.min(opts.batchSize ?? DEFAULT_BATCH_SIZE, trainCount);
  if (batchSize < 2) throw new DataError(`need at least 2 training images per batch (batch norm), got ${batchSize}`);
  const recipe = getRecipe(opts.recipe ?? DEFAULT_RECIPE);
  const lrRecipe = opts.lr !== undefined ? { ...recipe, lr: opts.lr } : recipe;
  const rng = new Rng(opts.seed);
  const modelSeed = rng.u32();
  // augmentation draws from its own stream, so the 'base' recipe's shuffling and weights stay as they were
  const aug: Augment | undefined = recipe.shift > 0 || recipe.flip > 0 ? { rng: new Rng((opts.seed ^ 0x5bd1e995) >>> 0), shift: recipe.shift, flip: recipe.flip } : undefined;
  const model = new QatModel(design, modelSeed);
  model.labelSmoothing = recipe.labelSmoothing;
  if (backend === 'tensorflow') {
    // libtensorflow has fast native conv gradients and runs TF.js op chains without JS round trips
    model.convGradMode = 'stock';
    model.kernels = 'tf';
  }
  const vars = model.variables();
  const decays = [...new Set((opts.compareVariants ?? []).map((v) => v.decay).filter((d) => d > 0))];
  const averagers = new Map(decays.map((d) => [d, new WeightAverage(d)]));
  const workers = Math.max(1, Math.floor(opts.workers ?? 1));
  const trainer = workers > 1 ? await ParallelTrainer.create(model, modelSeed, workers - 1, backend as BackendPref) : null;
  const batches = Math.floor(trainCount / batchSize);
  // a fractional schedule (a final training that fills its share of the budget, src/search/plan.ts) ends part-way
  // through its last epoch; the learning rate decays over exactly these steps
  const planned = Math.round(batches * opts.epochs);
  const schedule = new StepSchedule(planned);
  const deadline = opts.deadline;
  const minSteps = deadline ? Math.min(planned, Math.round(batches * deadline.minEpochs)) : planned;
  const maxSteps = deadline ? Math.max(planned, Math.round(batches * deadline.maxEpochs)) : planned;
  const idx = Array.from({ length: trainCount }, (_, i) => i);
  let step = 0;
  let finalLoss = NaN;
  const curveImages = Math.min(opts.curveImages ?? 0, testCount);
  const curve: Array<{ epoch: number; acc: number }> = [];
  const t0 = performance.now();
  // the pace is measured from DEADLINE_FROM of the planned steps on (the first steps warm up the JIT and the workers),
  // over the last DEADLINE_WINDOW of them (the machine's pace drifts: a demo's epochs took 91-112 s)
  const paceFrom = Math.ceil(planned * DEADLINE_FROM);
  const window = Math.max(8 * DEADLINE_EVERY, Math.ceil(planned * DEADLINE_WINDOW));
  const marks: Array<{ step: number; t: number }> = [];
  try {
    for (let epoch = 0; step < schedule.total; epoch++) {
      rng.shuffle(idx);
      const te = performance.now();
      let lossSum = 0;
      const b0 = step;
      const epochBatches = (): number => Math.min(batches, schedule.total - b0);
      for (let b = 0; b < batches && step < schedule.total; b++) {
        const adam = { lr: learningRate(lrRecipe, schedule.virtual(step), planned), weightDecay: recipe.weightDecay };
        let lv: number;
        if (trainer) {
          const { xs, ys, shape } = batchArrays(train, idx, b * batchSize, batchSize, aug);
          lv = await trainer.step(xs, shape, ys, adam);
        } else {
          const { xs, ys, shape } = batchArrays(train, idx, b * batchSize, batchSize, aug);
          const x = tf.tensor4d(xs, shape);
          const y = tf.tensor1d(ys, 'int32');
          const loss = model.trainStep(x, y, adam);
          lv = loss.dataSync()[0]!;
          loss.dispose();
          x.dispose();
          y.dispose();
        }
        // let timers and I/O run (progress display, test runners' RPC) between steps
        await new Promise<void>((r) => setImmediate(r));
        if (!Number.isFinite(lv)) throw new Error(`training diverged (loss ${lv}) at epoch ${epoch + 1}, batch ${b + 1}`);
        lossSum += lv;
        for (const a of averagers.values()) a.update(vars);
        step++;
        finalLoss = lv;
        if (deadline) {
          const now = performance.now();
          if (step >= paceFrom && (step - paceFrom) % DEADLINE_EVERY === 0) {
            while (marks.length > 1 && step - marks[1]!.step >= window) marks.shift();
            const m = marks[0];
            if (m) {
              // the steps that fit in what is left of the deadline at the recent pace
              const pace = (now - m.t) / 1000 / (step - m.step);
              const left = deadline.seconds - (now - t0) / 1000;
              const fit = step + Math.max(0, Math.floor(left / pace));
              schedule.replan(step, Math.max(minSteps, step, Math.min(maxSteps, fit)));
            }
            marks.push({ step, t: now });
          }
        }
        const el = (performance.now() - te) / 1000;
        opts.onProgress?.({ epoch: epoch + 1, batch: b + 1, batches: epochBatches(), loss: lossSum / (b + 1), imagesPerSec: ((b + 1) * batchSize) / Math.max(el, 1e-9) });
      }
      if (curveImages > 0 && step < schedule.total) curve.push({ epoch: epoch + 1, acc: accuracyOf(predictFloat(model, test, curveImages), test) });
    }
    const trainSeconds = (performance.now() - t0) / 1000;
    await trainer?.close();
    // batch-norm re-estimation over training batches in training mode
    const recalBatches = (count: number): tf.Tensor4D[] =>
      Array.from({ length: Math.min(count, batches) }, (_, b) => {
        const { x, y } = batchTensor(train, idx, b * batchSize, batchSize);
        y.dispose();
        return x;
      });
    const recalibrate = (count: number): void => {
      const xs = recalBatches(count);
      model.recalibrate(xs);
      xs.forEach((t) => t.dispose());
    };
    let variants: TrainResult['variants'];
    if (opts.compareVariants?.length) {
      variants = [];
      for (const v of opts.compareVariants) {
        const before = v.decay > 0 ? averagers.get(v.decay)!.swapIn(vars) : null;
        recalibrate(v.bnBatches);
        variants.push({ ...v, floatTestAcc: accuracyOf(predictFloat(model, test, testCount), test) });
        if (before) restoreVariables(vars, before);
      }
    }
    recalibrate(opts.bnRecalBatches ?? 16);

    const floatPred = predictFloat(model, test, testCount);
    // what was trained (a deadline may have set other epochs than planned), in tenths of an epoch as schedules are
    // planned
    const epochsTrained = schedule.total === planned ? opts.epochs : Math.round((10 * step) / batches) / 10;
    const intModel = exportIntModel(model, { dataset: opts.dataset, seed: opts.seed, epochs: epochsTrained, trainCount, backend });
    const intPred = predictInt(intModel, test, testCount);
    const refCheck = Math.min(opts.refCheck ?? 200, testCount);
    const px = test.height * test.width * test.channels;
    for (let i = 0; i < refCheck; i++) {
      const r = intInfer(intModel, test.images.subarray(i * px, (i + 1) * px));
      if (r.prediction !== intPred[i]) throw new Error(`internal error: batched integer inference disagrees with intInfer on test image ${i} (${intPred[i]} vs ${r.prediction})`);
    }
    let fc = 0;
    let ic = 0;
    let ag = 0;
    for (let i = 0; i < testCount; i++) {
      const lab = test.labels[i]!;
      if (floatPred[i] === lab) fc++;
      if (intPred[i] === lab) ic++;
      if (floatPred[i] === intPred[i]) ag++;
    }
    // the last point of the curve is the trained model (after BN re-estimation) on the same images
    if (curveImages > 0) curve.push({ epoch: epochsTrained, acc: accuracyOf(floatPred.subarray(0, curveImages), test) });
    const checkpoint = model.checkpoint();
    intModel.meta = { ...intModel.meta, floatTestAcc: fc / testCount, intTestAcc: ic / testCount, agreement: ag / testCount, testCount };
    return {
      intModel,
      floatTestAcc: fc / testCount,
      intTestAcc: ic / testCount,
      agreement: ag / testCount,
      testCount,
      trainSeconds,
      imagesPerSec: (step * batchSize) / Math.max(trainSeconds, 1e-9),
      backend,
      workers,
      trainCount,
      epochs: epochsTrained,
      seed: opts.seed,
      dataset: opts.dataset,
      finalLoss,
      refChecked: refCheck,
      checkpoint,
      recipe: recipe.name,
      ...(variants ? { variants } : {}),
      ...(curveImages > 0 ? { curve } : {}),
    };
  } finally {
    await trainer?.close();
    model.dispose();
  }
}

export const CHECKPOINT_JSON = 'checkpoint.json';
export const CHECKPOINT_BIN = 'checkpoint.bin';
export const ACCURACY_JSON = 'accuracy.json';

/**
 * Write a training result: checkpoint.json + checkpoint.bin (float QAT state, little-endian float32),
 * intmodel.json + intmodel.bin (src/ml/intmodel-io.ts), accuracy.json. Every file is written atomically.
 */
export function writeTrainOutput(dir: string, result: TrainResult): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  if (result.checkpoint) {
    const ck = result.checkpoint;
    let offset = 0;
    const entries = ck.tensors.map((t) => {
      const e = { name: t.name, shape: t.shape, offset, count: t.data.length, dtype: 'float32' as const };
      offset += t.data.length * 4;
      return e;
    });
    const bin = Buffer.alloc(offset);
    let o = 0;
    for (const t of ck.tensors) for (let i = 0; i < t.data.length; i++, o += 4) bin.writeFloatLE(t.data[i]!, o);
    writeFileAtomic(join(dir, CHECKPOINT_BIN), bin);
    writeJsonAtomic(join(dir, CHECKPOINT_JSON), { format: ck.format, version: ck.version, binary: CHECKPOINT_BIN, design: ck.design, tensors: entries });
    files.push(join(dir, CHECKPOINT_JSON), join(dir, CHECKPOINT_BIN));
  }
  writeIntModel(dir, result.intModel);
  files.push(join(dir, 'intmodel.json'), join(dir, 'intmodel.bin'));
  writeJsonAtomic(join(dir, ACCURACY_JSON), {
    dataset: result.dataset,
    testCount: result.testCount,
    floatTestAcc: result.floatTestAcc,
    intTestAcc: result.intTestAcc,
    agreement: result.agreement,
    trainSeconds: result.trainSeconds,
    imagesPerSec: result.imagesPerSec,
    backend: result.backend,
    workers: result.workers,
    trainCount: result.trainCount,
    epochs: result.epochs,
    seed: result.seed,
    finalLoss: result.finalLoss,
    refChecked: result.refChecked,
  });
  files.push(join(dir, ACCURACY_JSON));
  return files;
}

/** Read a checkpoint written by writeTrainOutput. */
export async function readCheckpoint(dir: string): Promise<QatCheckpoint> {
  const { readFileSync } = await import('node:fs');
  const { readJsonFile } = await import('../io.js');
  const f = readJsonFile(join(dir, CHECKPOINT_JSON), 'checkpoint') as { format: string; version: number; binary: string; design: Design; tensors: Array<{ name: string; shape: number[]; offset: number; count: number }> };
  if (f.format !== 'cosearch-qat-checkpoint') throw new DataError(`not a cosearch checkpoint (format ${JSON.stringify(f.format)})`, { file: join(dir, CHECKPOINT_JSON), jsonPath: '/format' });
  const bin = readFileSync(join(dir, f.binary));
  return {
    format: 'cosearch-qat-checkpoint',
    version: 1,
    design: f.design,
    tensors: f.tensors.map((t) => {
      if (t.offset + t.count * 4 > bin.length) throw new DataError(`tensor ${t.name} runs past the end of ${f.binary}`, { file: join(dir, CHECKPOINT_JSON) });
      const data = new Float32Array(t.count);
      for (let i = 0; i < t.count; i++) data[i] = bin.readFloatLE(t.offset + i * 4);
      return { name: t.name, shape: t.shape, data };
    }),
  };
}
