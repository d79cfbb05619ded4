/**
 * Needs: python3 with numpy (make test installs python3-numpy), the Fashion-MNIST dataset.
 * The PYNQ driver off the board (test/board/driver_check.py): its packing of real Fashion-MNIST test images (and of
 * 3-channel inputs of 5 and 8 bits) equals byte for byte the DMA words of the TypeScript side (packInputWords) and the
 * RTL twin's input words, and its unpacking + argmax of a logits buffer equals the integer reference's classes; its
 * board-only part (Accelerator, main) runs against a stand-in pynq module whose DMA answers each image it was sent
 * with that image's reference logits. A corrupted words file must make the check fail.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Design } from '../../src/core/design.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import type { IntModel } from '../../src/core/intmodel.js';
import { emitHls } from '../../src/emit/hls.js';
import { emitRtl } from '../../src/emit/rtl.js';
import { emitBoard, packInputWords } from '../../src/emit/board.js';
import { intInfer } from '../../src/ml/intref.js';
import { loadDataset } from '../../src/ml/datasets.js';
import { goldenDesign } from '../synth/helpers.js';

const CHECK = join(import.meta.dirname, 'driver_check.py');

function project(model: IntModel, images: Uint8Array, count: number, labels?: Uint8Array) {
  const prj = mkdtempSync(join(tmpdir(), 'cosearch-board-'));
  emitHls(model, prj, { testImages: images, testCount: count, labels });
  emitRtl(model, prj, { testImages: images, testCount: count });
  const b = emitBoard(model, prj, 'pynq');
  expect(b.flow).toBe('zynq');
  const codes = model.design.input.height * model.design.input.width * model.design.input.channels;
  writeFileSync(join(prj, 'ts-words.bin'), packInputWords(model.design, images, count));
  const classes = Array.from({ length: count }, (_, n) => intInfer(model, images.subarray(n * codes, (n + 1) * codes)).prediction);
  writeFileSync(join(prj, 'classes.json'), JSON.stringify(classes));
  return prj;
}

async function check(prj: string, words = 'ts-words.bin') {
  return execa('python3', [CHECK, '--driver', join(prj, 'board', 'driver.py'), '--vectors', join(prj, 'tb_vectors.bin'),
    '--ts-words', join(prj, words), '--classes', join(prj, 'classes.json'), '--rtl-hex', join(prj, 'rtl', 'vectors', 'input.hex')], { reject: false });
}

/** A 3-channel variant of the W2A2 golden design on 8x8 inputs of `bits` bits, on a Zynq UltraScale+ part. */
function rgbDesign(bits: number): Design {
  const d = goldenDesign('w2a2');
  return {
    ...d,
    name: `rgb${bits}`,
    input: { height: 8, width: 8, channels: 3, bits },
    layers: d.layers.map((l) => (l.name === 'fc' ? { ...l, simd: 16 } : l)),
    target: { ...d.target, part: 'xczu3eg' },
  } as Design;
}

describe('PYNQ driver: packing and unpacking against the TypeScript side and the integer reference (python3)', () => {
  it('Fashion-MNIST test images (1 x 8-bit codes per word): equal bytes, equal classes; a changed byte fails', async () => {
    const n = 64;
    const ds = loadDataset({ name: 'fashion-mnist', split: 'test', limit: n });
    const model = randomIntModel(goldenDesign('w2a2'), 4);
    const prj = project(model, ds.images, n, ds.labels);
    const r = await check(prj);
    expect(r.stdout + r.stderr).toContain('ok pack: 64 images, 50176 words of 1 byte(s), equal to packInputWords');
    expect(r.stdout).toContain('ok pack: equal to the RTL twin');
    expect(r.stdout).toMatch(/ok unpack: 64 images, classes equal to the integer reference's/);
    expect(r.stdout).toMatch(/ok stand-in pynq: 64 images in \d+ MM2S and \d+ S2MM transfers, logits equal/);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    // the check can fail: one byte changed in the TypeScript words
    const w = readFileSync(join(prj, 'ts-words.bin'));
    w[1000] ^= 0x10;
    writeFileSync(join(prj, 'bad-words.bin'), w);
    const bad = await check(prj, 'bad-words.bin');
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain('FAIL pack_images differs from the TypeScript words (50176 vs 50176 bytes; first difference at byte 1000)');
  }, 120_000);

  for (const bits of [5, 8]) {
    it(`3 channels x ${bits} bits (${3 * bits}-bit words in ${bits === 5 ? 2 : 4}-byte DMA words): equal bytes, equal classes`, async () => {
      const design = rgbDesign(bits);
      const model = randomIntModel(design, 7);
      const n = 20;
      const codes = new Uint8Array(n * 8 * 8 * 3);
      let s = 12345;
      for (let i = 0; i < codes.length; i++) {
        s = (s * 1103515245 + 12345) % 2 ** 31;
        codes[i] = s % 2 ** bits;
      }
      const prj = project(model, codes, n);
      const r = await check(prj);
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain(`words of ${bits === 5 ? 2 : 4} byte(s), equal to packInputWords`);
      expect(r.stdout).toContain('ok refuses bad input');
    }, 120_000);
  }
});
