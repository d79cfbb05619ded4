/**
 * Needs: g++, the Fashion-MNIST dataset.
 * A trained model end to end: QAT on a Fashion-MNIST subset (src/ml/train.ts) -> integer export -> HLS project
 * -> g++ csim on real test images, bit-exact on every layer, with the same test accuracy as the integer
 * reference (and clearly above chance: the emitted weights and thresholds carry what was learned).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Design } from '../../src/core/design.js';
import { trainDesign } from '../../src/ml/train.js';
import { loadDataset } from '../../src/ml/datasets.js';
import { intInfer } from '../../src/ml/intref.js';
import { emitHls } from '../../src/emit/hls.js';
import { runCsim } from '../../src/synth/csim.js';

const FMNIST = '/usr/share/datasets/fashion-mnist';
const design: Design = {
  version: 1,
  name: 'trained_w2a2',
  input: { height: 28, width: 28, channels: 1, bits: 8 },
  layers: [
    { kind: 'conv', outChannels: 8, kernel: 3, padding: 1, wBits: 2, aBits: 2, pe: 4, simd: 9 },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv', outChannels: 12, kernel: 3, padding: 1, wBits: 2, aBits: 2, pe: 4, simd: 8 },
    { kind: 'maxpool', size: 2 },
    { kind: 'dense', outFeatures: 10, wBits: 2, pe: 2, simd: 49 },
  ],
  target: { part: 'xc7z020', clockMHz: 100 },
};

describe('trained model through the HLS backend', () => {
  it('csim agrees with the integer reference on every layer and gives its accuracy', async () => {
    const r = await trainDesign(design, { dataset: 'fashion-mnist', dataDir: FMNIST, epochs: 1, seed: 5, trainLimit: 2000, testLimit: 100, refCheck: 0 });
    const n = 60;
    const test = loadDataset({ name: 'fashion-mnist', dir: FMNIST, split: 'test', limit: n });
    let refCorrect = 0;
    for (let i = 0; i < n; i++) if (intInfer(r.intModel, test.images.subarray(i * 784, (i + 1) * 784)).prediction === test.labels[i]) refCorrect++;
    const prj = join(mkdtempSync(join(tmpdir(), 'cosearch-trained-')), 'prj');
    emitHls(r.intModel, prj, { testImages: test.images, testCount: n, labels: test.labels, testSource: 'fashion-mnist test split' });
    const c = await runCsim(prj);
    expect(c).toMatchObject({ ok: true, images: n, mismatches: 0, labelled: n, correct: refCorrect, compileWarnings: 0 });
    expect(refCorrect / n).toBeGreaterThan(0.3);
  });
});
