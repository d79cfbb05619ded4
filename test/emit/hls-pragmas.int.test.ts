/**
 * Needs: g++ (its preprocessor).
 * The pragmas Vitis HLS sees in an emitted project: the top function preprocessed without the csim-only compat headers
 * (empty stand-ins for the vendor headers, so COSEARCH_PRAGMA expands to _Pragma) yields, per compute layer, the
 * partition / reshape / BIND_STORAGE of its weight and threshold memories with the cost model's style, and the STREAM
 * depth and FIFO binding of the stream its matrix unit reads (src/core/cost/stream.ts).
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Design } from '../../src/core/design.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { emitHls, hlsLayerContexts } from '../../src/emit/hls.js';

const ROOT = join(import.meta.dirname, '..', '..');
const design = JSON.parse(readFileSync(join(ROOT, 'test/golden/designs/dwsep-w2a2.json'), 'utf8')) as Design;

describe('pragmas of the emitted top function (as Vitis preprocesses it)', () => {
  it('ROM partition/reshape/BIND_STORAGE and FIFO depth/binding per compute layer', () => {
    const root = mkdtempSync(join(tmpdir(), 'cosearch-pragmas-'));
    const stubs = join(root, 'stubs');
    mkdirSync(stubs);
    for (const f of ['ap_int.h', 'hls_stream.h', 'ap_axi_sdata.h']) writeFileSync(join(stubs, f), '');
    const prj = join(root, 'prj');
    const model = randomIntModel(design, 4);
    const size = design.input.height * design.input.width * design.input.channels;
    emitHls(model, prj, { testImages: new Uint8Array(size), testCount: 1 });
    const top = `${design.name}_top.cpp`;
    const pre = execFileSync('g++', ['-std=c++14', '-E', '-P', '-I', stubs, '-I', join(prj, 'hls'), top], { cwd: prj, encoding: 'utf8' });
    const pragmas = pre.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('#pragma HLS'));
    for (const p of pragmas.filter((x) => x.includes('BIND_STORAGE'))) expect(p).toMatch(/^#pragma HLS BIND_STORAGE variable=\w+ type=(rom_1p|fifo) impl=(bram|lutram|srl)$/);
    const ctxs = hlsLayerContexts(model);
    let checked = 0;
    for (const c of ctxs.filter((x) => x.compute)) {
      const w = `${c.cname}_W`;
      expect(pragmas).toContain(`#pragma HLS ARRAY_PARTITION variable=${w} complete dim=1`);
      expect(pragmas).toContain(`#pragma HLS ARRAY_RESHAPE variable=${w} complete dim=3`);
      expect(pragmas).toContain(`#pragma HLS BIND_STORAGE variable=${w} type=rom_1p impl=${c.weightImpl}`);
      if (!c.isLast) expect(pragmas).toContain(`#pragma HLS BIND_STORAGE variable=${c.cname}_T type=rom_1p impl=${c.thresholdImpl}`);
      expect(pragmas).toContain(`#pragma HLS STREAM variable=${c.fifoStream} depth=${c.inFifoDepth}`);
      expect(pragmas).toContain(`#pragma HLS BIND_STORAGE variable=${c.fifoStream} type=fifo impl=${c.inFifoImpl}`);
      checked++;
    }
    expect(checked).toBe(4);
    // the window stream of the 3x3 conv is sized to one window (SF words), the VVAU's stream is 2 deep
    const conv = ctxs.find((x) => x.kind === 'conv')!;
    expect(conv.inFifoDepth).toBe(conv.nf > 1 ? conv.sf : 2);
    expect(ctxs.find((x) => x.kind === 'depthwise')!.inFifoDepth).toBe(2);
  });
});
