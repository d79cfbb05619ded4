/**
 * What Vitis would read in the pipelined loops of the HLS library (issue #13), checked on the source text: the
 * sliding window's loop divides by nothing (counters instead of per-cycle `/` and `%` by non-powers of two) and
 * declares its buffer dependence-free (the distances behind it are checked in C simulation, cs_swg.hpp); the
 * max-pool declares the distance of its row buffer and has no per-cycle division either; a 1x1 convolution without
 * padding (and a pointwise layer) gets no sliding window in the emitted top function, as in the cost model and RTL.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Design } from '../../src/core/design.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { emitHls } from '../../src/emit/hls.js';

const ROOT = join(import.meta.dirname, '..', '..');
const src = (f: string): string => readFileSync(join(ROOT, 'hls', f), 'utf8');
const noComments = (s: string): string => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');

/** The text of the block that starts at the first `{` after `head` (balanced braces), comments removed. */
function block(text: string, head: string): string {
  const t = noComments(text);
  const at = t.indexOf(head);
  expect(at, head).toBeGreaterThanOrEqual(0);
  const open = t.indexOf('{', at);
  let depth = 0;
  for (let i = open; i < t.length; i++) {
    if (t[i] === '{') depth++;
    else if (t[i] === '}' && --depth === 0) return t.slice(open, i + 1);
  }
  throw new Error(`unbalanced block after ${head}`);
}

/** Preprocessor-free code (the csim-only checks under #if defined(COSEARCH_COMPAT_AP_INT) are not synthesised). */
const synthOnly = (s: string): string => s.replace(/#if defined\(COSEARCH_COMPAT_AP_INT\)[\s\S]*?#endif/g, '');

describe('HLS library loops as Vitis reads them', () => {
  it('cs_swg.hpp: no division or remainder in the pipelined loop; DEPENDENCE inter false on the window buffer', () => {
    const loop = synthOnly(block(src('cs_swg.hpp'), 'while (wr < TOTAL_OUT)'));
    expect(loop).toContain('PIPELINE II=1');
    expect(loop).not.toMatch(/[/%]/);
    expect(noComments(src('cs_swg.hpp'))).toMatch(/COSEARCH_PRAGMA\(HLS DEPENDENCE variable=buf inter false\)/);
  });

  it('cs_pool.hpp: no division in the loop; the row buffer is accessed at a declared distance, the kx maximum is a delay line', () => {
    const text = noComments(src('cs_pool.hpp'));
    const loop = synthOnly(block(src('cs_pool.hpp'), 'for (int i = 0; i < IH * IW * CF; i++)'));
    expect(loop).toContain('PIPELINE II=1');
    expect(loop).not.toMatch(/[/%]/);
    expect(text).toMatch(/HLS DEPENDENCE variable=rowbuf inter RAW distance=ROW_DIST true/);
    expect(text).toMatch(/const int ROW_DIST = IW \* CF;/);
    // the row buffer is read and written only at kx == K-1 (once per entry and input row)
    const access = loop.slice(loop.indexOf('if (kx == K - 1)'));
    expect(loop.split('rowbuf[').length - 1).toBe(2);
    expect(access.split('rowbuf[').length - 1).toBe(2);
  });

  it('a 1x1 conv without padding and a pointwise layer get no sliding window; a 3x3 conv does', () => {
    const d: Design = {
      version: 1,
      name: 'onebyone',
      input: { height: 6, width: 6, channels: 4, bits: 8 },
      layers: [
        { kind: 'conv', name: 'c3', outChannels: 4, kernel: 3, padding: 1, wBits: 2, aBits: 2, pe: 2, simd: 4 },
        { kind: 'conv', name: 'c1', outChannels: 6, kernel: 1, padding: 0, wBits: 2, aBits: 2, pe: 3, simd: 2 },
        { kind: 'pointwise', name: 'pw', outChannels: 4, wBits: 2, aBits: 2, pe: 2, simd: 3 },
        { kind: 'dense', name: 'fc', outFeatures: 3, wBits: 2, pe: 1, simd: 4 },
      ],
      target: { part: 'xc7z020', clockMHz: 100 },
    };
    const prj = join(mkdtempSync(join(tmpdir(), 'cosearch-1x1-')), 'prj');
    emitHls(randomIntModel(d, 2), prj, { testImages: new Uint8Array(6 * 6 * 4), testCount: 1 });
    const top = readFileSync(join(prj, 'onebyone_top.cpp'), 'utf8');
    // one section per layer: "// ---- layer <i>: <name> (<kind>)" up to the next section (the partial is rendered
    // twice in it: with and without COSEARCH_TAPS)
    const sections = top.split('  // ---- ');
    const layer = (name: string): string => sections.find((x) => x.startsWith('layer ') && x.includes(`: ${name} (`))!;
    expect(top.match(/cosearch::swg</g)?.length).toBe(2);
    expect(layer('c3')).toContain('cosearch::swg<3, 1,');
    expect(layer('c1')).not.toContain('swg');
    expect(layer('c1')).toContain('cosearch::mvau_threshold<4, 6, 2, 3,');
    expect(layer('pw')).not.toContain('swg');
  });
});
