/**
 * Needs: g++, the Fashion-MNIST dataset.
 * C simulation of generated HLS projects with real g++ on real Fashion-MNIST test images, bit-exact against
 * the integer reference on every layer: a W1A1, a W2A2 (emitted through the CLI from an intmodel directory)
 * and a mixed-precision design. Random integer models (src/core/random-intmodel.ts) until trained ones land.
 * Each design is compiled once (runCsim reuses the binary).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import type { Design } from '../../src/core/design.js';
import { emitHls, HLS_VECTORS } from '../../src/emit/hls.js';
import { runCsim } from '../../src/synth/csim.js';
import { loadDataset } from '../../src/ml/datasets.js';
import { writeIntModel } from '../../src/ml/intmodel-io.js';
import { intInfer } from '../../src/ml/intref.js';
import { runCli } from '../../src/cli/main.js';

const FMNIST = '/usr/share/datasets/fashion-mnist';
const IMAGES = 12;
const design = (name: string): Design => JSON.parse(readFileSync(join(__dirname, '../fixtures/hls', `${name}.json`), 'utf8')) as Design;
const root = mkdtempSync(join(tmpdir(), 'cosearch-hls-csim-'));
const test = loadDataset({ name: 'fashion-mnist', dir: FMNIST, split: 'test', limit: IMAGES });

describe('HLS csim on Fashion-MNIST test images', () => {
  const prj: Record<string, string> = {};
  beforeAll(async () => {
    for (const [name, seed] of [['w1a1', 11], ['mixed', 13]] as const) {
      prj[name] = join(root, name);
      emitHls(randomIntModel(design(name), seed), prj[name], { testImages: test.images, testCount: IMAGES, labels: test.labels, testSource: 'fashion-mnist test split' });
    }
    // W2A2 goes through the CLI: intmodel directory -> `cosearch emit` (loads the dataset's test split itself)
    const modelDir = join(root, 'w2a2-model');
    writeIntModel(modelDir, randomIntModel(design('w2a2'), 12));
    prj.w2a2 = join(root, 'w2a2');
    const code = await runCli(['emit', modelDir, '--out', prj.w2a2, '--images', String(IMAGES), '--data', FMNIST]);
    expect(code).toBe(0);
  });

  for (const name of ['w1a1', 'w2a2', 'mixed']) {
    it(`${name}: every layer bit-exact, no compiler warnings with -Wall -Wextra`, async () => {
      const r = await runCsim(prj[name]!);
      expect(r.firstMismatch).toBeUndefined();
      expect(r).toMatchObject({ ok: true, images: IMAGES, mismatches: 0, compiled: true, compileWarnings: 0, labelled: IMAGES });
      expect(r.imagesPerSec).toBeGreaterThan(0);
      const log = readFileSync(join(prj[name]!, 'build', 'csim-compile.log'), 'utf8');
      expect(log).toContain('-Wall -Wextra');
      expect(log).not.toMatch(/warning:/);
      // the second call reuses the binary
      const again = await runCsim(prj[name]!, { images: 3 });
      expect(again).toMatchObject({ ok: true, images: 3, compiled: false });
    });
  }

  it('the test vectors hold the reference logits of the real images', () => {
    const buf = readFileSync(join(prj.w1a1!, HLS_VECTORS));
    expect(buf.subarray(0, 4).toString('latin1')).toBe('CSTV');
    expect(buf.readUInt32LE(8)).toBe(IMAGES);
    const m = randomIntModel(design('w1a1'), 11);
    // first image's pixels follow the header, then its label
    const layers = buf.readUInt32LE(16);
    const base = 20 + 8 * layers;
    expect(Buffer.compare(buf.subarray(base, base + 784), Buffer.from(test.images.subarray(0, 784)))).toBe(0);
    expect(buf[base + 784]).toBe(test.labels[0]);
    const ref = intInfer(m, test.images.subarray(0, 784));
    const sizes = Array.from({ length: layers }, (_, i) => buf.readUInt32LE(20 + 8 * i));
    let off = base + 785;
    for (let i = 0; i < layers - 1; i++) off += sizes[i]!;
    const logits = Array.from({ length: sizes[layers - 1]! }, (_, k) => buf.readInt32LE(off + 4 * k));
    expect(logits).toEqual(Array.from(ref.logits));
  });

  it('a corrupted expected value is reported with its image and layer, and csim fails (exit 1)', async () => {
    const bad = join(root, 'w2a2-corrupt');
    cpSync(prj.w2a2!, bad, { recursive: true, preserveTimestamps: true });
    const file = join(bad, HLS_VECTORS);
    const buf = readFileSync(file);
    const layers = buf.readUInt32LE(16);
    const sizes = Array.from({ length: layers }, (_, i) => buf.readUInt32LE(20 + 8 * i));
    const elem = Array.from({ length: layers }, (_, i) => buf.readUInt32LE(24 + 8 * i));
    const record = 784 + 1 + sizes.reduce((s, n, i) => s + n * elem[i]!, 0);
    // image 3, layer 2 (conv2), element 17
    const img = 3;
    const off = 20 + 8 * layers + record * img + 785 + sizes[0]! * elem[0]! + sizes[1]! * elem[1]! + 17;
    buf[off] = (buf[off]! + 1) % 4;
    writeFileSync(file, buf);
    const r = await runCsim(bad);
    expect(r.compiled).toBe(false);
    expect(r.ok).toBe(false);
    expect(r.mismatches).toBe(1);
    expect(r.firstMismatch).toMatchObject({ image: 3, layer: 'conv2' });
    expect(r.firstMismatch!.detail).toMatch(/^index=17 expected=\d got=\d$/);
    const code = await runCli(['csim', bad]);
    expect(code).toBe(1);
  });
});
