/**
 * Data-parallel training on several CPU cores: the wasm backend runs single-threaded in Node (its threaded build
 * cannot start workers there), so each extra core gets a node:worker_threads worker with its own backend and a
 * replica of the model. Every step the batch is split; each replica computes the gradient of its part (batch norm
 * uses each part's own statistics, "ghost batch norm", Hoffer et al. 2017); the gradients are averaged, weighted by
 * part size, and every replica applies the same average with Adam, so all replicas stay identical.
 * Deterministic for a given seed, worker count and backend.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { Design } from '../core/design.js';
import type { BackendPref } from './backend.js';
import type { AdamOptions, QatModel } from './qat.js';

interface Pending {
  resolve: (v: { loss: number; grads: Float32Array }) => void;
  reject: (e: Error) => void;
}

class Replica {
  private worker: Worker;
  private waiting: Pending[] = [];
  private readyP: Promise<string>;
  constructor(design: Design, seed: number, backend: BackendPref, labelSmoothing: number) {
    const here = import.meta.url;
    if (here.endsWith('.ts')) {
      // running from TypeScript sources (tsx, vitest): register the tsx loader inside the worker first
      const api = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
      const url = new URL('./train-worker.ts', here).href;
      this.worker = new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); });`, { eval: true });
    } else this.worker = new Worker(new URL('./train-worker.js', here));
    this.readyP = new Promise((resolve, reject) => {
      const onMsg = (m: { type: string; backend?: string; message?: string; loss?: number; grads?: Float32Array }): void => {
        if (m.type === 'ready') resolve(m.backend!);
        else if (m.type === 'grads') this.waiting.shift()?.resolve({ loss: m.loss!, grads: m.grads! });
        else if (m.type === 'error') {
          const e = new Error(`training worker failed: ${m.message}`);
          reject(e);
          for (const w of this.waiting.splice(0)) w.reject(e);
        }
      };
      this.worker.on('message', onMsg);
      this.worker.on('error', (e) => {
        reject(e);
        for (const w of this.waiting.splice(0)) w.reject(e);
      });
    });
    this.worker.postMessage({ type: 'init', design, seed, backend, labelSmoothing });
  }
  ready(): Promise<string> {
    return this.readyP;
  }
  step(x: Float32Array, shape: [number, number, number, number], y: Int32Array): Promise<{ loss: number; grads: Float32Array }> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage({ type: 'step', x, shape, y }, [x.buffer as ArrayBuffer, y.buffer as ArrayBuffer]);
    });
  }
  apply(grads: Float32Array, adam: AdamOptions): void {
    this.worker.postMessage({ type: 'apply', grads, lr: adam.lr, weightDecay: adam.weightDecay });
  }
  async close(): Promise<void> {
    this.worker.postMessage({ type: 'close' });
    await this.worker.terminate();
  }
}

export class ParallelTrainer {
  private replicas: Replica[] = [];
  private constructor(private readonly model: QatModel) {}

  /** `workers` extra replicas besides the main thread's model (which must have been created with `seed`). */
  static async create(model: QatModel, seed: number, workers: number, backend: BackendPref): Promise<ParallelTrainer> {
    const t = new ParallelTrainer(model);
    t.replicas = Array.from({ length: workers }, () => new Replica(model.design, seed, backend, model.labelSmoothing));
    try {
      await Promise.all(t.replicas.map((r) => r.ready()));
    } catch (e) {
      await t.close();
      throw e;
    }
    return t;
  }

  /** One data-parallel step on a batch (x: codes as float32, HWC per image). Returns the mean loss. */
  async step(x: Float32Array, shape: [number, number, number, number], y: Int32Array, adam: AdamOptions): Promise<number> {
    const [n, h, w, c] = shape;
    const parts = this.replicas.length + 1;
    const px = h * w * c;
    const sizes = Array.from({ length: parts }, (_, i) => Math.floor(((i + 1) * n) / parts) - Math.floor((i * n) / parts));
    const starts = sizes.map((_, i) => Math.floor((i * n) / parts));
    // workers take parts 1.., the main thread part 0
    const remote = this.replicas.map((r, i) => {
      const s = starts[i + 1]!;
      const k = sizes[i + 1]!;
      return r.step(x.slice(s * px, (s + k) * px), [k, h, w, c], y.slice(s, s + k));
    });
    const k0 = sizes[0]!;
    const xt = tf.tensor4d(x.subarray(0, k0 * px), [k0, h, w, c]);
    const yt = tf.tensor1d(y.subarray(0, k0), 'int32');
    const { loss, grads } = this.model.computeGradients(xt, yt);
    const own = this.model.flattenGradients(grads);
    const ownLoss = loss.dataSync()[0]!;
    loss.dispose();
    for (const g of grads.values()) g.dispose();
    xt.dispose();
    yt.dispose();
    const results = await Promise.all(remote);
    // weighted average in a fixed order (deterministic)
    const avg = new Float32Array(own.length);
    let lossSum = ownLoss * k0;
    for (let j = 0; j < own.length; j++) avg[j] = own[j]! * k0;
    results.forEach((r, i) => {
      const k = sizes[i + 1]!;
      lossSum += r.loss * k;
      for (let j = 0; j < avg.length; j++) avg[j]! += r.grads[j]! * k;
    });
    for (let j = 0; j < avg.length; j++) avg[j]! /= n;
    for (const r of this.replicas) r.apply(avg.slice(), adam);
    this.model.applyFlatGradients(avg, adam);
    return lossSum / n;
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.close().catch(() => undefined)));
    this.replicas = [];
  }
}
