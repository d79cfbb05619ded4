/**
 * Needs: g++.
 * The top function's AXI4-Stream contract (issue #13; the board flow's DMA and driver rely on it): input words
 * ap_axiu<IN_W,0,0,0> of one pixel each, output ap_axiu<32,0,0,0> of one sign-extended logit each with TLAST = 1 on
 * the last logit of every image. The generated testbench checks TLAST on every output word: csim passes on the
 * emitted project and fails, naming TLAST, when the library's output adapter drops it.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Design } from '../../src/core/design.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { emitHls } from '../../src/emit/hls.js';
import { readHlsManifest, runCsim } from '../../src/synth/csim.js';

const design = JSON.parse(readFileSync(join(__dirname, '../fixtures/designs/tiny-w2a2.json'), 'utf8')) as Design;

describe('HLS top: AXI4-Stream with TLAST', () => {
  it('csim is bit-exact and TLAST marks each image\'s last logit; a dropped TLAST fails csim', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cosearch-axis-'));
    const prj = join(root, 'ok');
    const images = Uint8Array.from({ length: 144 * 4 }, (_, i) => (i * 53) % 256);
    emitHls(randomIntModel(design, 3), prj, { testImages: images, testCount: 4 });
    const top = readFileSync(join(prj, 'tiny_w2a2_top.hpp'), 'utf8');
    expect(top).toMatch(/void tiny_w2a2_top\(hls::stream<ap_axiu<\d+, 0, 0, 0> > &in, hls::stream<ap_axiu<32, 0, 0, 0> > &out\);/);
    expect(readHlsManifest(prj).axis).toEqual({ inBits: design.input.channels * design.input.bits, inWordsPerImage: 144, pixelBits: 8, outBits: 32, outWordsPerImage: 10 });
    const ok = await runCsim(prj);
    expect(ok).toMatchObject({ ok: true, images: 4, mismatches: 0, compileWarnings: 0 });

    const bad = join(root, 'no-tlast');
    cpSync(prj, bad, { recursive: true });
    const dwc = join(bad, 'hls', 'cs_dwc.hpp');
    const src = readFileSync(dwc, 'utf8');
    expect(src).toContain('w.last = i == TOTAL - 1 ? 1 : 0;');
    writeFileSync(dwc, src.replace('w.last = i == TOTAL - 1 ? 1 : 0;', 'w.last = 0;'));
    const r = await runCsim(bad);
    expect(r.ok).toBe(false);
    expect(r.firstMismatch?.detail).toMatch(/TLAST of output word 9 is wrong/);
  }, 120_000);
});
