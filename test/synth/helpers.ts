/** Shared helpers of the rtl tests: golden designs, real Fashion-MNIST test images, temp project dirs. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Design } from '../../src/core/design.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { emitRtl } from '../../src/emit/rtl.js';
import { loadDataset } from '../../src/ml/datasets.js';
import type { IntModel } from '../../src/core/intmodel.js';

export const ROOT = join(import.meta.dirname, '..', '..');

export function goldenDesign(name: string): Design {
  return JSON.parse(readFileSync(join(ROOT, 'test', 'golden', 'designs', `${name}.json`), 'utf8')) as Design;
}

export function fixtureDesign(name: string): Design {
  return JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'rtl', `${name}.json`), 'utf8')) as Design;
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `cosearch-rtl-${tag}-`));
}

/** Emit the RTL twin of a random integer model of `design` with the first `n` Fashion-MNIST test images. */
export function emitWithFashion(design: Design, n: number, seed = 1): { prj: string; model: IntModel; labels: Uint8Array } {
  const ds = loadDataset({ name: 'fashion-mnist', split: 'test', limit: n });
  const model = randomIntModel(design, seed);
  const prj = tempDir(design.name);
  emitRtl(model, prj, { testImages: ds.images, testCount: ds.count });
  return { prj, model, labels: ds.labels };
}
