/**
 * The quantization-aware training model, built from the design IR: the same layer list, shapes and bit widths.
 *
 * Per compute layer (not the last):  x -> the kind's linear operator (src/layers/<kind>/tf.ts: conv, depthwise,
 *   pointwise, dense; padding is code 0, -1 for bipolar inputs) with quantized integer weights -> batch norm ->
 *   activation quantizer -> codes (k-bit unsigned) or bipolar values (1 bit).
 * Last compute layer: integer-valued dot products times one positive learned logit scale (argmax-preserving), no
 *   batch norm, no bias: the integer model emits the dot products as its logits.
 * Inputs are the raw codes (0..255); any input scaling is absorbed by the first batch norm (FINN-style folding).
 *
 * Speed: a spatial compute layer (conv, depthwise, pointwise) directly followed by a max-pool computes
 * conv -> max-pool -> BN -> quantizer instead of conv -> BN -> quantizer -> max-pool. Both are identical when BN + quantizer is non-decreasing, so those layers
 * use |gamma| (a channel with negative gamma is the same function as one with negated weights and positive gamma,
 * so nothing is lost). It cuts the elementwise work on the largest tensors by the pool area. Layers not followed
 * by a pool keep a free gamma; export negates the weights of channels with a negative BN scale.
 *
 * Gradients are written out by hand (no tfjs autodiff: tfjs-core's gradient registry does not load as Node ESM,
 * and explicit backward passes let us use forward-only convolution gradients and fewer elementwise ops).
 */
import * as tf from '@tensorflow/tfjs-core';
import { layerInfos, type ComputeLayer, type Design, type LayerInfo, type PoolLayer } from '../core/design.js';
import { Rng } from '../core/rng.js';
import { kindOf } from '../layers/registry.js';
import { tfLinear, tfPool } from '../layers/registry-tf.js';
import { maxPoolGrad } from '../layers/maxpool/tf.js';
import type { LinearSaved } from '../layers/tf-types.js';
import type { ConvGradMode } from './conv.js';
import { poolBnActBackward, poolBnActForward, type BnActCache } from './jsops.js';
import { actQmax, actSteMask, quantizeActivations, quantizeWeights, weightQmax, weightSteMask } from './quant.js';

export const BN_EPSILON = 1e-3;
export const BN_MOMENTUM = 0.9;

export interface QatComputeLayer {
  kind: ComputeLayer['kind'];
  info: LayerInfo;
  wBits: number;
  aBits: number;
  /** latent float weights in the kind's tf layout (src/layers/tf-types.ts weightShape) */
  w: tf.Variable;
  /** batch norm (hidden layers only) */
  gamma?: tf.Variable;
  beta?: tf.Variable;
  runMean?: tf.Tensor1D;
  runVar?: tf.Tensor1D;
  /** log of the positive logit scale (last layer only) */
  logScale?: tf.Variable;
  /** max-pool size fused after this conv (0 = none) */
  fusedPool: number;
}
export interface QatPoolLayer {
  kind: 'maxpool';
  info: LayerInfo;
  size: number;
  /** true when the preceding conv already applied this pool */
  fused: boolean;
}
export type QatLayer = QatComputeLayer | QatPoolLayer;

/** The layer has no weights (its kind says so: src/layers registry). */
export function isQatPool(l: QatLayer): l is QatPoolLayer {
  return !kindOf(l.info.layer).compute;
}

/** Serializable float checkpoint (latent weights, BN parameters and running statistics). */
export interface QatCheckpoint {
  format: 'cosearch-qat-checkpoint';
  version: 1;
  design: Design;
  tensors: Array<{ name: string; shape: number[]; data: Float32Array }>;
}

export interface AdamOptions {
  lr: number;
  /** decoupled weight decay on the latent weights (AdamW, Loshchilov & Hutter 2019); 0 = none */
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

interface Cache {
  /** pool: input */
  x?: tf.Tensor;
  /** compute: what the linear operator keeps for its backward pass */
  saved?: LinearSaved;
  wq?: tf.Tensor;
  invSteps?: tf.Tensor1D;
  pre?: tf.Tensor4D;
  acc?: tf.Tensor;
  xhat?: tf.Tensor;
  inv?: tf.Tensor;
  z?: tf.Tensor;
  geff?: tf.Tensor;
  out?: tf.Tensor;
  mean?: tf.Tensor;
  variance?: tf.Tensor;
  /** JS-kernel path: fused pool/BN/activation state */
  bn?: BnActCache;
}

export class QatModel {
  readonly design: Design;
  readonly infos: LayerInfo[];
  readonly layers: QatLayer[];
  convGradMode: ConvGradMode = 'forward';
  /**
   * 'js': fused JavaScript kernels for max-pool + BN + quantizer (fast, default); 'tf': the same maths as a chain of
   * TF.js ops with the MaxPoolGrad kernel (what stock TF.js autodiff would run; used by the benchmark).
   */
  kernels: 'js' | 'tf' = 'js';
  private adamState = new Map<tf.Variable, { m: tf.Tensor; v: tf.Tensor }>();
  private adamStep = 0;
  /** label smoothing of the training loss (0 = plain cross-entropy) */
  labelSmoothing = 0;

  constructor(design: Design, seed: number) {
    this.design = design;
    this.infos = layerInfos(design);
    const rng = new Rng(seed);
    // a max-pool right after a hidden spatial compute layer is fused into it
    const fusable = (k: LayerInfo | undefined): boolean => !!k && kindOf(k.layer).compute && kindOf(k.layer).spatial && !k.isLast;
    this.layers = this.infos.map((info, i): QatLayer => {
      const l = info.layer;
      if (!kindOf(l).compute) {
        return { kind: (l as PoolLayer).kind, info, size: (l as PoolLayer).size, fused: fusable(this.infos[i - 1]) };
      }
      const cl = l as ComputeLayer;
      const next = this.infos[i + 1];
      const fusedPool = fusable(info) && next && !kindOf(next.layer).compute ? (next.layer as PoolLayer).size : 0;
      const fanIn = info.matrixW;
      const shape = tfLinear(l.kind).weightShape(info);
      // He-normal init (He et al. 2015) from the seeded RNG (deterministic across backends)
      const std = Math.sqrt(2 / fanIn);
      const data = new Float32Array(fanIn * info.matrixH);
      for (let k = 0; k < data.length; k++) data[k] = rng.normal() * std;
      const w = tf.variable(tf.tensor(data, shape), true);
      const aBits = info.isLast ? 0 : (cl.aBits ?? 1);
      const layer: QatComputeLayer = { kind: cl.kind, info, wBits: cl.wBits, aBits, w, fusedPool };
      const c = info.matrixH;
      if (info.isLast) {
        // logits of order 1 at the start: the dot products are ~ sqrt(fanIn) * qmax * (mean input value)
        const inMax = info.inBipolar ? 1 : actQmax(info.inBits) / 2;
        layer.logScale = tf.variable(tf.scalar(Math.log(2 / (Math.sqrt(fanIn) * weightQmax(cl.wBits) * inMax))), true);
      } else {
        // map the normalised pre-activation N(0,1) onto the code range: z = gamma*xhat + beta
        const g0 = aBits === 1 ? 1 : actQmax(aBits) / 3;
        const b0 = aBits === 1 ? 0 : actQmax(aBits) / 3;
        layer.gamma = tf.variable(tf.fill([c], g0), true);
        layer.beta = tf.variable(tf.fill([c], b0), true);
        layer.runMean = tf.keep(tf.zeros([c]) as tf.Tensor1D);
        layer.runVar = tf.keep(tf.ones([c]) as tf.Tensor1D);
      }
      return layer;
    });
  }

  computeLayers(): QatComputeLayer[] {
    return this.layers.filter((l): l is QatComputeLayer => !isQatPool(l));
  }

  /** All trainable variables. */
  variables(): tf.Variable[] {
    const v: tf.Variable[] = [];
    for (const l of this.computeLayers()) {
      v.push(l.w);
      if (l.gamma) v.push(l.gamma, l.beta!);
      if (l.logScale) v.push(l.logScale);
    }
    return v;
  }

  /**
   * Inverse weight quantizer steps (per output channel; per tensor for the classifier). 2 bits (ternary):
   * step = 1.4 * mean|w| (Ternary Weight Networks, Li, Zhang & Liu 2016); >= 3 bits: max|w| / qmax (symmetric
   * min-max); 1 bit: unused.
   */
  invSteps(l: QatComputeLayer): tf.Tensor1D {
    return tf.tidy(() => {
      const c = l.info.matrixH;
      if (l.wBits === 1) return tf.ones([c]) as tf.Tensor1D;
      const w2 = tf.reshape(tf.abs(l.w), [-1, c]);
      const perTensor = l.info.isLast;
      let step: tf.Tensor;
      if (l.wBits === 2) step = tf.mul(perTensor ? tf.mean(w2) : tf.mean(w2, 0), 1.4);
      else step = tf.div(perTensor ? tf.max(w2) : tf.max(w2, 0), weightQmax(l.wBits));
      step = tf.maximum(step, 1e-8);
      return tf.broadcastTo(tf.div(1, step), [c]) as tf.Tensor1D;
    });
  }

  /** Integer-valued quantized weights of a compute layer (same op as the forward pass). */
  quantizedWeights(l: QatComputeLayer): tf.Tensor {
    return tf.tidy(() => quantizeWeights(l.w, l.wBits, this.invSteps(l)));
  }

  /** Per-channel affine map z = acc * a + b of a hidden layer's batch norm in inference mode. */
  bnAffine(l: QatComputeLayer): { a: tf.Tensor1D; b: tf.Tensor1D } {
    return tf.tidy(() => {
      const g = l.fusedPool ? tf.abs(l.gamma!) : l.gamma!;
      const a = tf.mul(g, tf.rsqrt(tf.add(l.runVar!, BN_EPSILON))) as tf.Tensor1D;
      const b = tf.sub(l.beta!, tf.mul(l.runMean!, a)) as tf.Tensor1D;
      return { a, b };
    });
  }

  /** Inference: float logits [N, classes] for input codes x [N, H, W, C] (float32). */
  predict(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => this.run(x, false, null) as tf.Tensor2D);
  }

  /**
   * Inference with every layer's output (values: codes, or -1/+1 for bipolar; logits for the last layer), index =
   * design layer. A conv with a fused max-pool has no unpooled output (null); its pool layer holds the result.
   * The caller disposes the tensors.
   */
  predictLayers(x: tf.Tensor4D): Array<tf.Tensor | null> {
    const outs: Array<tf.Tensor | null> = [];
    tf.tidy(() => {
      this.run(x, false, null, outs);
      outs.forEach((t) => t && tf.keep(t));
    });
    return outs;
  }

  /**
   * Forward pass. Training mode normalises with batch statistics; when `caches` is given, intermediates for the
   * backward pass are stored there (the caller runs everything inside one tf.tidy).
   */
  private run(x: tf.Tensor4D, training: boolean, caches: Cache[] | null, collect?: Array<tf.Tensor | null>): tf.Tensor {
    let h: tf.Tensor = x;
    this.layers.forEach((l, i) => {
      h = this.layerForward(l, i, h, training, caches);
      if (collect) collect[i] = !isQatPool(l) && l.fusedPool ? null : h;
    });
    return h;
  }

  /** Forward of one layer: input h -> output. */
  private layerForward(l: QatLayer, i: number, h: tf.Tensor, training: boolean, caches: Cache[] | null): tf.Tensor {
    const c: Cache = {};
    if (caches) caches[i] = c;
    if (isQatPool(l)) {
      if (!l.fused) {
        c.x = h;
        h = tfPool(l.info.kind).forward(h, l.info);
        c.out = h;
      }
      return h;
    }
    const info = l.info;
    const inv = this.invSteps(l);
    const wq = quantizeWeights(l.w, l.wBits, inv);
    c.invSteps = inv;
    c.wq = wq;
    const useJs = this.kernels === 'js' && !info.isLast;
    const lin = tfLinear(l.kind).forward(h, wq, info, info.inBipolar ? -1 : 0);
    c.saved = lin.saved;
    let acc = lin.acc;
    if (l.fusedPool && !useJs) {
      c.pre = acc as tf.Tensor4D;
      acc = tf.maxPool(acc as tf.Tensor4D, l.fusedPool, l.fusedPool, 'valid');
    }
    c.acc = acc;
    if (info.isLast) {
      return tf.mul(tf.reshape(acc, [acc.shape[0]!, -1]), tf.exp(l.logScale!));
    }
    if (useJs) {
      c.acc = acc;
      if (training) {
        const r = poolBnActForward(acc, l.fusedPool, l.aBits, { gamma: l.gamma!.dataSync() as Float32Array, beta: l.beta!.dataSync() as Float32Array, absGamma: l.fusedPool > 0, eps: BN_EPSILON }, null);
        c.bn = r.cache!;
        c.mean = tf.tensor1d(Float32Array.from(c.bn.mean));
        c.variance = tf.tensor1d(Float32Array.from(c.bn.variance));
        h = r.y;
      } else {
        const { a, b } = this.bnAffine(l);
        h = poolBnActForward(acc, l.fusedPool, l.aBits, null, { a: a.dataSync() as Float32Array, b: b.dataSync() as Float32Array }).y;
      }
      return h;
    }
    const axes = acc.rank === 4 ? [0, 1, 2] : [0];
    let z: tf.Tensor;
    if (training) {
      const { mean, variance } = tf.moments(acc, axes);
      const invStd = tf.rsqrt(tf.add(variance, BN_EPSILON));
      const xhat = tf.mul(tf.sub(acc, mean), invStd);
      const geff = l.fusedPool ? tf.abs(l.gamma!) : l.gamma!;
      z = tf.add(tf.mul(xhat, geff), l.beta!);
      Object.assign(c, { xhat, inv: invStd, geff, mean, variance });
    } else {
      const { a, b } = this.bnAffine(l);
      z = tf.add(tf.mul(acc, a), b);
    }
    c.z = z;
    return quantizeActivations(z, l.aBits);
  }

  /**
   * One training step (forward, hand-written backward, Adam update, running BN statistics).
   * `x` [N, H, W, C] input codes, `labels` [N] int32. Returns the mean cross-entropy loss (a kept scalar).
   */
  trainStep(x: tf.Tensor4D, labels: tf.Tensor1D, adam: AdamOptions): tf.Scalar {
    const { loss, grads } = this.computeGradients(x, labels);
    this.applyAdam(grads, adam);
    for (const g of grads.values()) g.dispose();
    return loss;
  }

  /**
   * Forward + hand-written backward on one batch: the mean loss (kept scalar) and the gradient of every variable
   * (kept tensors, caller disposes). Updates the running BN statistics from this batch.
   */
  computeGradients(x: tf.Tensor4D, labels: tf.Tensor1D): { loss: tf.Scalar; grads: Map<tf.Variable, tf.Tensor> } {
    const n = x.shape[0];
    const grads = new Map<tf.Variable, tf.Tensor>();
    const newStats: Array<{ l: QatComputeLayer; mean: tf.Tensor; variance: tf.Tensor; count: number }> = [];
    const loss = tf.tidy(() => {
      const caches: Cache[] = [];
      const logits = this.run(x, true, caches) as tf.Tensor2D;
      const classes = logits.shape[1];
      // label smoothing (Szegedy et al. 2016): target (1 - eps) on the label, eps / classes spread over all
      const eps = this.labelSmoothing;
      const onehot = eps > 0 ? tf.add(tf.mul(tf.oneHot(labels, classes), 1 - eps), eps / classes) : tf.oneHot(labels, classes);
      const logp = tf.logSoftmax(logits);
      const lossT = tf.div(tf.neg(tf.sum(tf.mul(onehot, logp))), n) as tf.Scalar;
      // d loss / d logits = (softmax - onehot) / N
      let dy: tf.Tensor = tf.div(tf.sub(tf.exp(logp), onehot), n);
      for (let i = this.layers.length - 1; i >= 0; i--) {
        const l = this.layers[i]!;
        const c = caches[i]!;
        if (isQatPool(l)) {
          if (!l.fused) dy = tfPool(l.info.kind).backward(dy, c.x!, c.out!, l.info);
          continue;
        }
        let dacc: tf.Tensor;
        // the first layer needs no input gradient: where its kind takes the accumulator gradient channel-major
        // (the im2col filter gradient of a few-channel input), the fused backward writes it so
        const cmDw = i === 0 && c.bn ? tfLinear(l.kind).channelMajorDw?.(c.wq!, l.info, this.convGradMode) ?? null : null;
        if (l.info.isLast) {
          const s = tf.exp(l.logScale!);
          // d/d logScale of s * acc = logits
          grads.set(l.logScale!, tf.keep(tf.sum(tf.mul(dy, logits))));
          dacc = tf.reshape(tf.mul(dy, s), c.acc!.shape);
        } else if (c.bn) {
          const r = poolBnActBackward(dy, c.bn, l.gamma!.dataSync() as Float32Array, l.fusedPool > 0, cmDw ? 'channel-major' : 'nhwc');
          grads.set(l.beta!, tf.keep(tf.tensor1d(r.dbeta)));
          grads.set(l.gamma!, tf.keep(tf.tensor1d(r.dgamma)));
          newStats.push({ l, mean: tf.keep(c.mean!), variance: tf.keep(c.variance!), count: c.bn.m });
          dacc = r.dx;
        } else {
          const axes = c.acc!.rank === 4 ? [0, 1, 2] : [0];
          const m = c.acc!.size / c.acc!.shape[c.acc!.rank - 1]!;
          const dz = tf.mul(dy, actSteMask(c.z!, l.aBits));
          const dbeta = tf.sum(dz, axes);
          const dgeff = tf.sum(tf.mul(dz, c.xhat!), axes);
          grads.set(l.beta!, tf.keep(dbeta));
          grads.set(l.gamma!, tf.keep(l.fusedPool ? tf.mul(dgeff, tf.sign(l.gamma!)) : dgeff));
          // batch-norm backward (Ioffe & Szegedy 2015): dacc = g*inv/M * (M*dz - sum(dz) - xhat*sum(dz*xhat))
          dacc = tf.mul(tf.div(tf.mul(c.geff!, c.inv!), m), tf.sub(tf.sub(tf.mul(dz, m), dbeta), tf.mul(c.xhat!, dgeff)));
          newStats.push({ l, mean: tf.keep(c.mean!), variance: tf.keep(c.variance!), count: m });
        }
        if (cmDw) {
          grads.set(l.w, tf.keep(tf.mul(cmDw(dacc as tf.Tensor2D, c.saved!), weightSteMask(l.w, l.wBits, c.invSteps!))));
          break;
        }
        const needDx = i > 0;
        if (l.fusedPool && !c.bn) dacc = maxPoolGrad(dacc as tf.Tensor4D, c.pre!, c.acc as tf.Tensor4D, l.fusedPool);
        const { dw: dwq, dx } = tfLinear(l.kind).backward(dacc, c.saved!, c.wq!, l.info, needDx, this.convGradMode);
        grads.set(l.w, tf.keep(tf.mul(dwq, weightSteMask(l.w, l.wBits, c.invSteps!))));
        if (!dx) break;
        // gradient through the previous layer's activation quantizer is applied there (its dz)
        dy = dx;
      }
      return lossT;
    });
    for (const s of newStats) {
      const l = s.l;
      const oldM = l.runMean!;
      const oldV = l.runVar!;
      l.runMean = tf.keep(tf.tidy(() => tf.add(tf.mul(oldM, BN_MOMENTUM), tf.mul(s.mean, 1 - BN_MOMENTUM)))) as tf.Tensor1D;
      // unbiased variance for the running estimate (as Keras/PyTorch do)
      l.runVar = tf.keep(tf.tidy(() => tf.add(tf.mul(oldV, BN_MOMENTUM), tf.mul(s.variance, (1 - BN_MOMENTUM) * (s.count / Math.max(s.count - 1, 1)))))) as tf.Tensor1D;
      oldM.dispose();
      oldV.dispose();
      s.mean.dispose();
      s.variance.dispose();
    }
    return { loss, grads };
  }

  /** All gradients flattened in `variables()` order (for exchanging them between data-parallel workers). */
  flattenGradients(grads: Map<tf.Variable, tf.Tensor>): Float32Array {
    const vars = this.variables();
    const out = new Float32Array(vars.reduce((s, v) => s + v.size, 0));
    let o = 0;
    for (const v of vars) {
      const g = grads.get(v);
      if (g) out.set(g.dataSync() as Float32Array, o);
      o += v.size;
    }
    return out;
  }

  /** Apply flattened gradients (see flattenGradients) with Adam. */
  applyFlatGradients(flat: Float32Array, adam: AdamOptions): void {
    const grads = new Map<tf.Variable, tf.Tensor>();
    let o = 0;
    for (const v of this.variables()) {
      grads.set(v, tf.tensor(flat.subarray(o, o + v.size), v.shape));
      o += v.size;
    }
    this.applyAdam(grads, adam);
    for (const g of grads.values()) g.dispose();
  }

  /** Adam (Kingma & Ba 2015) with bias correction; 1-bit latent weights are clipped to [-1, 1] (BinaryConnect). */
  applyAdam(grads: Map<tf.Variable, tf.Tensor>, o: AdamOptions): void {
    const b1 = o.beta1 ?? 0.9;
    const b2 = o.beta2 ?? 0.999;
    const eps = o.epsilon ?? 1e-7;
    this.adamStep++;
    const c1 = 1 - b1 ** this.adamStep;
    const c2 = 1 - b2 ** this.adamStep;
    const bits = new Map<tf.Variable, number>();
    for (const l of this.computeLayers()) bits.set(l.w, l.wBits);
    const wd = o.weightDecay ?? 0;
    for (const [v, g] of grads) {
      let st = this.adamState.get(v);
      if (!st) {
        st = { m: tf.keep(tf.zerosLike(v)), v: tf.keep(tf.zerosLike(v)) };
        this.adamState.set(v, st);
      }
      const s = st;
      const m = tf.keep(tf.tidy(() => tf.add(tf.mul(s.m, b1), tf.mul(g, 1 - b1))));
      const vv = tf.keep(tf.tidy(() => tf.add(tf.mul(s.v, b2), tf.mul(tf.square(g), 1 - b2))));
      s.m.dispose();
      s.v.dispose();
      s.m = m;
      s.v = vv;
      tf.tidy(() => {
        let nv = tf.sub(v, tf.div(tf.mul(m, o.lr / c1), tf.add(tf.sqrt(tf.div(vv, c2)), eps)));
        if (wd > 0 && bits.has(v)) nv = tf.sub(nv, tf.mul(v, o.lr * wd));
        if (bits.get(v) === 1) nv = tf.clipByValue(nv, -1, 1);
        v.assign(nv);
      });
    }
  }

  /** Reset the optimizer state (moments and step count). */
  resetOptimizer(): void {
    for (const s of this.adamState.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    this.adamState.clear();
    this.adamStep = 0;
  }

  /**
   * Re-estimate the BN running statistics as population statistics over the given batches (run in training
   * mode, layer outputs quantized as in inference). Improves the match between the last batches and inference.
   */
  recalibrate(batches: tf.Tensor4D[]): void {
    if (batches.length === 0) return;
    const sums = new Map<QatComputeLayer, { mean: tf.Tensor; sq: tf.Tensor; k: number; count: number }>();
    // sequential per layer is not needed: statistics of layer i depend on layers < i, which are fixed here
    for (const xb of batches) {
      tf.tidy(() => {
        const caches: Cache[] = [];
        this.run(xb, true, caches);
        this.layers.forEach((l, i) => {
          if (isQatPool(l) || l.info.isLast) return;
          const c = caches[i]!;
          const prev = sums.get(l);
          const m = c.mean!;
          const sq = tf.add(c.variance!, tf.square(m));
          const count = c.bn ? c.bn.m : c.acc!.size / c.acc!.shape[c.acc!.rank - 1]!;
          if (prev) {
            const nm = tf.keep(tf.add(prev.mean, m));
            const ns = tf.keep(tf.add(prev.sq, sq));
            prev.mean.dispose();
            prev.sq.dispose();
            sums.set(l, { mean: nm, sq: ns, k: prev.k + 1, count: prev.count + count });
          } else sums.set(l, { mean: tf.keep(tf.add(m, 0)), sq: tf.keep(sq), k: 1, count });
        });
      });
    }
    for (const [l, s] of sums) {
      l.runMean!.dispose();
      l.runVar!.dispose();
      l.runMean = tf.keep(tf.tidy(() => tf.div(s.mean, s.k))) as tf.Tensor1D;
      l.runVar = tf.keep(tf.tidy(() => tf.mul(tf.relu(tf.sub(tf.div(s.sq, s.k), tf.square(tf.div(s.mean, s.k)))), s.count / Math.max(s.count - 1, 1)))) as tf.Tensor1D;
      s.mean.dispose();
      s.sq.dispose();
    }
  }

  checkpoint(): QatCheckpoint {
    const tensors: QatCheckpoint['tensors'] = [];
    const add = (name: string, t: tf.Tensor): void => {
      tensors.push({ name, shape: t.shape.slice(), data: Float32Array.from(t.dataSync() as Float32Array) });
    };
    this.layers.forEach((l, i) => {
      if (isQatPool(l)) return;
      add(`l${i}.w`, l.w);
      if (l.gamma) {
        add(`l${i}.gamma`, l.gamma);
        add(`l${i}.beta`, l.beta!);
        add(`l${i}.runMean`, l.runMean!);
        add(`l${i}.runVar`, l.runVar!);
      }
      if (l.logScale) add(`l${i}.logScale`, l.logScale);
    });
    return { format: 'cosearch-qat-checkpoint', version: 1, design: this.design, tensors };
  }

  /** Load a checkpoint written by `checkpoint()` for the same design. */
  loadCheckpoint(ck: QatCheckpoint): void {
    const byName = new Map(ck.tensors.map((t) => [t.name, t]));
    const get = (name: string, like: tf.Tensor): tf.Tensor => {
      const t = byName.get(name);
      if (!t) throw new Error(`checkpoint lacks tensor ${name}`);
      if (t.shape.join('x') !== like.shape.join('x')) throw new Error(`checkpoint tensor ${name} has shape ${t.shape.join('x')}, expected ${like.shape.join('x')}`);
      return tf.tensor(t.data, t.shape);
    };
    this.layers.forEach((l, i) => {
      if (isQatPool(l)) return;
      tf.tidy(() => l.w.assign(get(`l${i}.w`, l.w)));
      if (l.gamma) {
        tf.tidy(() => l.gamma!.assign(get(`l${i}.gamma`, l.gamma!)));
        tf.tidy(() => l.beta!.assign(get(`l${i}.beta`, l.beta!)));
        const m = tf.keep(get(`l${i}.runMean`, l.runMean!)) as tf.Tensor1D;
        const v = tf.keep(get(`l${i}.runVar`, l.runVar!)) as tf.Tensor1D;
        l.runMean!.dispose();
        l.runVar!.dispose();
        l.runMean = m;
        l.runVar = v;
      }
      if (l.logScale) tf.tidy(() => l.logScale!.assign(get(`l${i}.logScale`, l.logScale!)));
    });
  }

  dispose(): void {
    this.resetOptimizer();
    for (const l of this.computeLayers()) {
      l.w.dispose();
      l.gamma?.dispose();
      l.beta?.dispose();
      l.runMean?.dispose();
      l.runVar?.dispose();
      l.logScale?.dispose();
    }
  }
}

export { maxPoolGrad };
