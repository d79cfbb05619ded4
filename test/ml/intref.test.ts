import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/config.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { intInfer } from '../../src/ml/intref.js';
import { readIntModel, writeIntModel } from '../../src/ml/intmodel-io.js';
import type { Design } from '../../src/core/design.js';
import { DataError } from '../../src/errors.js';

const fixture = join(__dirname, '..', 'fixtures', 'designs', 'tiny-w2a2.json');

describe('integer reference', () => {
  it('computes a hand-checked 1x1 conv + dense network', () => {
    const design: Design = {
      version: 1,
      name: 'hand',
      input: { height: 2, width: 1, channels: 2, bits: 8 },
      layers: [
        { kind: 'conv', outChannels: 1, kernel: 1, padding: 0, wBits: 2, aBits: 2, pe: 1, simd: 2 },
        { kind: 'dense', outFeatures: 2, wBits: 1, pe: 1, simd: 2 },
      ],
      target: { part: 'xc7z020', clockMHz: 100 },
    };
    const model = {
      format: 'cosearch-intmodel' as const,
      version: 1 as const,
      design,
      layers: [
        // acc = x0 - x1 ; codes: #(acc >= t) for t in [-1, 2, 5]
        { kind: 'conv' as const, weights: Int8Array.from([1, -1]), thresholds: Int32Array.from([-1, 2, 5]) },
        { kind: 'dense' as const, weights: Int8Array.from([1, 1, 1, -1]), thresholds: null },
      ],
    };
    // pixel0 = (7, 3): acc 4 -> code 2 ; pixel1 = (0, 9): acc -9 -> code 0
    const r = intInfer(model, [7, 3, 0, 9]);
    expect(Array.from(r.layerOutputs[0]!)).toEqual([2, 0]);
    expect(Array.from(r.logits)).toEqual([2, 2]);
    expect(r.prediction).toBe(0); // first index on ties
  });

  it('treats 1-bit activations as bipolar values and pads them with -1', () => {
    const design: Design = {
      version: 1,
      name: 'bip',
      input: { height: 1, width: 1, channels: 1, bits: 8 },
      layers: [
        { kind: 'conv', outChannels: 1, kernel: 1, padding: 0, wBits: 1, aBits: 1, pe: 1, simd: 1 },
        { kind: 'conv', outChannels: 1, kernel: 3, padding: 1, wBits: 1, pe: 1, simd: 1 },
      ],
      target: { part: 'xc7z020', clockMHz: 100 },
    };
    const model = {
      format: 'cosearch-intmodel' as const,
      version: 1 as const,
      design,
      layers: [
        { kind: 'conv' as const, weights: Int8Array.from([1]), thresholds: Int32Array.from([10]) },
        { kind: 'conv' as const, weights: Int8Array.from([1, 1, 1, 1, -1, 1, 1, 1, 1]), thresholds: null },
      ],
    };
    // input 20 >= 10 -> code 1 (+1); window = 8 pads (-1) + centre +1 with weight -1 => -8 - 1 = -9
    expect(Array.from(intInfer(model, [20]).logits)).toEqual([-9]);
    // input 3 -> code 0 (-1): -8 + 1 = -7
    expect(Array.from(intInfer(model, [3]).logits)).toEqual([-7]);
  });

  it('round-trips an integer model through intmodel.json + intmodel.bin', () => {
    const d = loadDesign(fixture);
    const m = randomIntModel(d, 7);
    const dir = mkdtempSync(join(tmpdir(), 'intmodel-'));
    writeIntModel(dir, m);
    const back = readIntModel(dir);
    const img = Array.from({ length: 144 }, (_, i) => (i * 37) % 256);
    expect(Array.from(intInfer(back, img).logits)).toEqual(Array.from(intInfer(m, img).logits));
    expect(back.layers.map((l) => l.kind)).toEqual(['conv', 'maxpool', 'conv', 'dense']);
  });

  it('a compute layer stored without its weights is a data error naming the layer (not a pool layer)', () => {
    const d = loadDesign(fixture);
    const dir = mkdtempSync(join(tmpdir(), 'intmodel-'));
    writeIntModel(dir, randomIntModel(d, 7));
    const f = join(dir, 'intmodel.json');
    const j = JSON.parse(readFileSync(f, 'utf8')) as { layers: Array<Record<string, unknown>> };
    delete j.layers[2]!.weights;
    writeFileSync(f, JSON.stringify(j));
    expect(() => readIntModel(dir)).toThrow(DataError);
    expect(() => readIntModel(dir)).toThrow(/layers\/2/);
  });
});
