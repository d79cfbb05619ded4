/**
 * Needs: g++.
 * Odd layer geometries through the HLS library, bit-exact on every layer: seeded random designs with kernels
 * 1..5 (even ones too), padding up to K-1, pools 2/3 with floor and their own PE, every legal PE/SIMD kind
 * (SIMD < C, = C, = C*m whole pixels), 1..8-bit weights, 1..4-bit activations, width converters of
 * non-multiple widths. Random images (the Fashion-MNIST runs are in csim.int.test.ts). Compiled in parallel.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/core/rng.js';
import { randomGeometry } from './geometry.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { emitHls } from '../../src/emit/hls.js';
import { runCsim } from '../../src/synth/csim.js';

describe('HLS library on random geometries', () => {
  it('seeds 1, 4, 11: bit-exact on every layer, no warnings', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cosearch-geometry-'));
    const runs = [1, 4, 11].map((s) => {
      const d = randomGeometry(s);
      expect(d).not.toBeNull();
      const rng = new Rng(1000 + s);
      const n = 4;
      const size = d!.input.height * d!.input.width * d!.input.channels;
      const images = Uint8Array.from({ length: n * size }, () => rng.int(0, 255));
      const dir = join(root, d!.name);
      emitHls(randomIntModel(d!, s), dir, { testImages: images, testCount: n });
      return runCsim(dir);
    });
    const results = await Promise.all(runs);
    for (const r of results) expect(r).toMatchObject({ ok: true, images: 4, mismatches: 0, compileWarnings: 0 });
  });
});
