/**
 * Generated project files: file snapshots of the small generated files for the tiny W2A2 fixture design, the
 * weight/threshold folding of params.hpp against src/emit/context.ts, and the emitter's input checks.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { cloneDesign, type Design } from '../../src/core/design.js';
import { emitHls, hlsLayerContexts } from '../../src/emit/hls.js';
import { estimateDesign } from '../../src/core/estimate.js';
import { DEFAULT_CALIBRATION } from '../../src/core/calibration.js';
import { loadPart } from '../../src/parts.js';
import { foldedWeight, layerContexts } from '../../src/emit/context.js';
import { DataError } from '../../src/errors.js';

const design = JSON.parse(readFileSync(join(__dirname, '../fixtures/designs/tiny-w2a2.json'), 'utf8')) as Design;
const images = Uint8Array.from({ length: 144 * 3 }, (_, i) => (i * 37) % 256);

describe('emitHls', () => {
  const prj = mkdtempSync(join(tmpdir(), 'cosearch-emit-'));
  const model = randomIntModel(design, 1);
  const { files } = emitHls(model, prj, { testImages: images, testCount: 3 });
  const read = (f: string): string => readFileSync(join(prj, f), 'utf8').split(prj).join('<PRJ>');

  it('writes the project files, the library and the compat headers', () => {
    const rel = files.map((f) => f.slice(prj.length + 1)).sort();
    expect(rel).toEqual(
      expect.arrayContaining([
        'Makefile', 'README.md', 'hls/compat/ap_axi_sdata.h', 'hls/compat/ap_int.h', 'hls/compat/hls_stream.h', 'hls/cosearch.hpp', 'hls/cs_mvau.hpp',
        'hls/cs_swg.hpp', 'hls_config.cfg', 'hls_project.json', 'params.hpp', 'run_hls.tcl', 'tb_vectors.bin',
        'tiny_w2a2_top.cpp', 'tiny_w2a2_top.hpp', 'tiny_w2a2_top_tb.cpp', 'vivado.tcl',
      ]),
    );
  });

  for (const f of ['tiny_w2a2_top.cpp', 'tiny_w2a2_top.hpp', 'run_hls.tcl', 'hls_config.cfg', 'Makefile', 'README.md']) {
    it(`${f} matches its snapshot`, async () => {
      await expect(read(f)).toMatchFileSnapshot(`__snapshots__/tiny_w2a2/${f}.snap`);
    });
  }

  it('the Vitis flows never see hls/compat; the csim build does', () => {
    expect(read('run_hls.tcl')).not.toMatch(/-I[^\n]*compat/);
    expect(read('hls_config.cfg')).not.toMatch(/-I[^\n]*compat/);
    expect(read('Makefile')).toMatch(/-I hls -I hls\/compat/);
    expect(readFileSync(join(prj, 'hls/compat/ap_int.h'), 'utf8')).toMatch(/#ifdef __SYNTHESIS__\s*\n#error/);
  });

  it('params.hpp holds the weights folded per PE as in context.ts, packed SIMD*W-bit words, thresholds clamped', () => {
    const params = read('params.hpp');
    const ctx = layerContexts(model)[0]!;
    // L0: PE 2, NF*SF = 4*3 = 12 words of SIMD 3 x W2 = 6 bits (one limb)
    expect(params).toContain('static const cosearch::rom_limb<6>::type L0_conv0_W[2][12][1] = ');
    const init = /L0_conv0_W\[2\]\[12\]\[1\] = ([^;]*);/.exec(params)![1]!;
    const words = init.replace(/[{}\s]/g, '').split(',').map(Number);
    expect(words.length).toBe(24);
    const got: number[] = [];
    const expected: number[] = [];
    for (let p = 0; p < 2; p++)
      for (let a = 0; a < 12; a++)
        for (let s = 0; s < 3; s++) {
          const code = (words[p * 12 + a]! >> (2 * s)) & 3;
          got.push(code >= 2 ? code - 4 : code);
          expected.push(foldedWeight(ctx, p, Math.floor(a / 3), a % 3, s));
        }
    expect(got).toEqual(expected);
    expect(params).toContain('static const cosearch::threshold_rom<14>::type L0_conv0_T[2][4][3] = ');
    const h = hlsLayerContexts(model);
    expect(h.map((l) => [l.kind, l.hasDwc, l.dwcInElems, l.dwcOutElems])).toEqual([
      ['conv', false, 1, 1],
      ['maxpool', false, 2, 2],
      ['conv', true, 2, 8],
      ['dense', true, 4, 20],
    ]);
  });

  it('rejects a model whose logits do not fit 32 bits, naming the layer', () => {
    // a dense classifier straight on 300x300 8-bit pixels with 8-bit weights: 90000*127*255 needs 33 bits
    const d = cloneDesign(design);
    d.input.height = 300;
    d.input.width = 300;
    d.layers = [{ kind: 'dense', outFeatures: 10, wBits: 8, pe: 5, simd: 20 }];
    const m = randomIntModel(d, 2);
    expect(() => emitHls(m, join(prj, 'big'), { testImages: new Uint8Array(300 * 300), testCount: 1 })).toThrow(DataError);
    expect(() => emitHls(m, join(prj, 'big'), { testImages: new Uint8Array(300 * 300), testCount: 1 })).toThrow(/layers\/0.*logits of dense0 need 33 bits/);
  });

  it('rejects too few test images', () => {
    expect(() => emitHls(model, join(prj, 'few'), { testImages: images, testCount: 4 })).toThrow(/3 images of 144 bytes, 4 requested/);
  });

  it('window-generator and layer cycles are the cost model figures (one cycle model)', () => {
    const h = hlsLayerContexts(model);
    const r = estimateDesign(model.design, loadPart(model.design.target.part), DEFAULT_CALIBRATION);
    h.forEach((c, i) => {
      const d = r.layers[i]!.details!;
      expect(c.cycles).toBe(c.compute ? d.mvauCycles : r.layers[i]!.cycles);
      expect(c.swgCycles).toBe(c.compute ? d.swgCycles : 0);
    });
    // tiny design, conv0 (P=0, 12x12 input, SF=3 words per output pixel): max(144 pixel reads, 100*3 writes)
    expect(h[0]!.swgCycles).toBe(300);
    expect(h[0]!.swgCycles).toBeLessThan(h[0]!.cycles);
  });
});
