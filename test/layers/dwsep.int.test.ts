/**
 * Needs: g++, verilator, the Fashion-MNIST dataset.
 * Depthwise-separable designs end to end on real Fashion-MNIST test images: a model trained for one short epoch
 * (QAT through the depthwise / pointwise kinds, integer export) and a random mixed-precision model (bipolar
 * depthwise, 8-bit DSP products, PE < C, padding, a 2x2 depthwise kernel) must pass HLS csim (every layer) and RTL
 * simulation (every logit) bit-exact against the integer reference.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Design } from '../../src/core/design.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { emitHls } from '../../src/emit/hls.js';
import { emitRtl } from '../../src/emit/rtl.js';
import { runCsim } from '../../src/synth/csim.js';
import { runRtlSim } from '../../src/synth/rtlsim.js';
import { loadDataset } from '../../src/ml/datasets.js';
import { trainDesign } from '../../src/ml/train.js';
import type { IntModel } from '../../src/core/intmodel.js';

const fixture = (n: string): Design => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'designs', `${n}.json`), 'utf8')) as Design;
const N = 20;
const test = loadDataset({ name: 'fashion-mnist', split: 'test', limit: N });

/** The centre 12x12 crop of each 28x28 image (for the 12x12 fixture). */
function crop(images: Uint8Array, n: number, s: number): Uint8Array {
  const o = (28 - s) >> 1;
  const out = new Uint8Array(n * s * s);
  for (let i = 0; i < n; i++) for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) out[(i * s + y) * s + x] = images[i * 784 + (y + o) * 28 + x + o]!;
  return out;
}

async function bitExact(model: IntModel, images: Uint8Array): Promise<void> {
  const prj = mkdtempSync(join(tmpdir(), `cosearch-dwsep-${model.design.name}-`));
  emitHls(model, prj, { testImages: images, testCount: N });
  const c = await runCsim(prj);
  expect(c.firstMismatch).toBeUndefined();
  expect(c).toMatchObject({ ok: true, images: N, mismatches: 0, compileWarnings: 0 });
  emitRtl(model, prj, { testImages: images, testCount: N });
  const r = await runRtlSim(prj, { timeoutMs: 300_000 });
  expect(r.firstMismatch).toBeUndefined();
  expect(r).toMatchObject({ ok: true, images: N, mismatches: 0 });
  expect(r.intervalCycles!).toBeGreaterThanOrEqual(r.modelIntervalCycles!);
}

describe('depthwise-separable designs: csim and rtlsim bit-exact on Fashion-MNIST', () => {
  it('dwsep-w2a2 trained 1 short epoch (QAT + integer export)', async () => {
    const r = await trainDesign(fixture('dwsep-w2a2'), { dataset: 'fashion-mnist', epochs: 1, trainLimit: 2000, testLimit: 1000, seed: 1, workers: 1 });
    expect(r.agreement).toBeGreaterThanOrEqual(0.999);
    expect(r.intTestAcc).toBeGreaterThan(0.3);
    await bitExact(r.intModel, test.images);
  }, 600_000);

  it('dwsep-mixed, random integer model', async () => {
    await bitExact(randomIntModel(fixture('dwsep-mixed'), 7), crop(test.images, N, 12));
  }, 600_000);
});
