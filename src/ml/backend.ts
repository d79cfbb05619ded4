/**
 * TF.js backend selection. Order for 'auto': tensorflow (libtensorflow through @tensorflow/tfjs-node-gpu, then
 * @tensorflow/tfjs-node; optional dependencies, used only when they load) -> wasm (@tensorflow/tfjs-backend-wasm,
 * XNNPACK + SIMD; in Node it reads its .wasm file from node_modules) -> cpu (@tensorflow/tfjs-backend-cpu, plain
 * JavaScript, slow for convolutions).
 *
 * Checked on the development machines (Node 20, tfjs 4.22): the SIMD wasm build loads and runs XNNPACK
 * convolutions at ~26 GFLOP/s on one core; the multi-threaded wasm build cannot start in Node (its pthread
 * workers are created from blob: URLs, which node:worker_threads rejects), so wasm runs single-threaded.
 * The wasm backend has no Conv2DBackpropFilter kernel; src/ml/conv.ts computes conv gradients with forward
 * convolutions so training works (and is fast) there.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { UsageError, ToolMissingError } from '../errors.js';

export type BackendPref = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_PREFS: readonly BackendPref[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

let active: string | undefined;
let tensorflowTried: { ok: boolean; why: string; module?: string } | undefined;
let wasmTried: { ok: boolean; why: string } | undefined;

/** Try to load a libtensorflow binding; they register the 'tensorflow' backend on import. */
async function tryTensorflow(): Promise<{ ok: boolean; why: string; module?: string }> {
  if (tensorflowTried) return tensorflowTried;
  const reasons: string[] = [];
  for (const mod of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      // a variable specifier keeps TypeScript and bundlers from requiring the optional packages
      const spec: string = mod;
      await import(spec);
      if (tf.findBackendFactory('tensorflow') === null || tf.findBackendFactory('tensorflow') === undefined) {
        reasons.push(`${mod} loaded but registered its backend on another copy of @tensorflow/tfjs-core (versions differ)`);
        continue;
      }
      if (await tf.setBackend('tensorflow')) {
        tensorflowTried = { ok: true, why: '', module: mod };
        return tensorflowTried;
      }
      reasons.push(`${mod} loaded but its backend failed to initialise`);
    } catch (e) {
      const msg = (e as Error).message?.split('\n')[0] ?? String(e);
      reasons.push(`${mod}: ${/Cannot find (package|module)/.test(msg) ? 'not installed' : msg}`);
    }
  }
  tensorflowTried = { ok: false, why: reasons.join('; ') };
  return tensorflowTried;
}

async function tryWasm(): Promise<{ ok: boolean; why: string }> {
  if (wasmTried) return wasmTried;
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    const ok = await tf.setBackend('wasm');
    wasmTried = ok ? { ok: true, why: '' } : { ok: false, why: 'the wasm backend failed to initialise' };
  } catch (e) {
    wasmTried = { ok: false, why: (e as Error).message?.split('\n')[0] ?? String(e) };
  }
  return wasmTried;
}

/**
 * Select and initialise a backend. 'auto' falls back tensorflow -> wasm -> cpu; a forced choice that cannot load
 * throws ToolMissingError (69) with the reason. Returns the active backend name ('tensorflow', 'wasm', 'cpu').
 * Cheap when called again with the same preference.
 */
export async function initBackend(pref: BackendPref = 'auto'): Promise<string> {
  if (!(BACKEND_PREFS as readonly string[]).includes(pref)) throw new UsageError(`unknown backend "${pref}"`, `use one of ${BACKEND_PREFS.join(', ')}`);
  if (active && (pref === 'auto' || pref === active) && tf.getBackend() === active) return active;
  if (pref === 'auto' || pref === 'tensorflow') {
    const t = await tryTensorflow();
    if (t.ok && (await tf.setBackend('tensorflow'))) return (active = 'tensorflow');
    if (pref === 'tensorflow')
      throw new ToolMissingError(`the tensorflow backend is not available (${t.why})`, 'install @tensorflow/tfjs-node (CPU) or @tensorflow/tfjs-node-gpu (CUDA), or use --backend wasm');
  }
  if (pref === 'auto' || pref === 'wasm') {
    const w = await tryWasm();
    if (w.ok && (await tf.setBackend('wasm'))) return (active = 'wasm');
    if (pref === 'wasm') throw new ToolMissingError(`the wasm backend is not available (${w.why})`, 'reinstall @tensorflow/tfjs-backend-wasm, or use --backend cpu');
  }
  if (!(await tf.setBackend('cpu'))) throw new ToolMissingError('the cpu backend failed to initialise');
  // the cpu backend prints a one-time console banner recommending tfjs-node; the CLI reports the backend itself
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return (active = 'cpu');
}

/** Describe the active backend for a progress line, e.g. "wasm (simd, 1 thread)". */
export async function describeBackend(): Promise<string> {
  const b = tf.getBackend();
  if (b === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return `wasm (${simd ? 'simd' : 'no simd'}, 1 thread)`;
  }
  if (b === 'tensorflow' && tensorflowTried?.module) return `tensorflow (${tensorflowTried.module})`;
  return b;
}

/** Why the faster backends were not used (empty when the best one is active). */
export function backendFallbackReasons(): string[] {
  const r: string[] = [];
  if (tensorflowTried && !tensorflowTried.ok) r.push(`tensorflow: ${tensorflowTried.why}`);
  if (wasmTried && !wasmTried.ok) r.push(`wasm: ${wasmTried.why}`);
  return r;
}
