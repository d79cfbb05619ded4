/**
 * Data-parallel training worker (node:worker_threads): holds a replica of the QAT model on its own TF.js backend,
 * computes gradients on its share of each batch and applies the averaged gradients it is sent, so the replica
 * stays identical to the main thread's model (same initial weights from the seed, same updates, same backend).
 * Protocol (messages from the main thread): init -> 'ready'; step -> { loss, grads }; apply (no reply); close.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { Design } from '../core/design.js';
import { initBackend, type BackendPref } from './backend.js';
import { QatModel } from './qat.js';

type Msg =
  | { type: 'init'; design: Design; seed: number; backend: BackendPref; labelSmoothing?: number }
  | { type: 'step'; x: Float32Array; shape: [number, number, number, number]; y: Int32Array }
  | { type: 'apply'; grads: Float32Array; lr: number; weightDecay?: number }
  | { type: 'close' };

let model: QatModel | undefined;
const port = parentPort!;
port.on('message', (m: Msg) => {
  void handle(m).catch((e: unknown) => port.postMessage({ type: 'error', message: (e as Error)?.stack ?? String(e) }));
});

async function handle(m: Msg): Promise<void> {
  if (m.type === 'init') {
    const backend = await initBackend(m.backend);
    model = new QatModel(m.design, m.seed);
    model.labelSmoothing = m.labelSmoothing ?? 0;
    port.postMessage({ type: 'ready', backend });
  } else if (m.type === 'step') {
    const x = tf.tensor4d(m.x, m.shape);
    const y = tf.tensor1d(m.y, 'int32');
    const { loss, grads } = model!.computeGradients(x, y);
    const flat = model!.flattenGradients(grads);
    const lv = loss.dataSync()[0]!;
    loss.dispose();
    for (const g of grads.values()) g.dispose();
    x.dispose();
    y.dispose();
    port.postMessage({ type: 'grads', loss: lv, grads: flat }, [flat.buffer as ArrayBuffer]);
  } else if (m.type === 'apply') {
    model!.applyFlatGradients(m.grads, { lr: m.lr, weightDecay: m.weightDecay });
  } else if (m.type === 'close') {
    model?.dispose();
    port.close();
  }
}
