/**
 * The parameter memories of the emitted HLS project are the ones the cost model counts (issue #13): per PE one memory
 * of NF*SF packed SIMD*W-bit words (threshold rows of NF words), bound (BIND_STORAGE) to the memory style the design
 * IR carries per layer as src/core/cost/memory.ts chooseMemory resolves it. The BRAM18 count is computed here from
 * the emitted declarations (params.hpp array shapes and element widths, stream widths) and the COSEARCH_*_ROM /
 * COSEARCH_FIFO lines of the top function, and compared with the estimate of the CNV-W1A1 golden design. The stream
 * FIFOs are sized from the cycle model (src/core/cost/stream.ts) and bound to its choice (SRL or BRAM) likewise.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { cloneDesign, type Design } from '../../src/core/design.js';
import { emitHls, romPack } from '../../src/emit/hls.js';
import { estimateDesign } from '../../src/core/estimate.js';
import { DEFAULT_CALIBRATION } from '../../src/core/calibration.js';
import { bram18For } from '../../src/core/cost/memory.js';
import { loadPart } from '../../src/parts.js';

const cnv = JSON.parse(readFileSync(join(__dirname, '../golden/cnv-w1a1.json'), 'utf8')) as Design;

interface Memory { name: string; copies: number; depth: number; width: number; impl: string }

/** Memories of an emitted project: shapes from params.hpp, impl from the top function's COSEARCH_*_ROM lines. */
function emittedMemories(prj: string, top: string): Memory[] {
  const params = readFileSync(join(prj, 'params.hpp'), 'utf8');
  const topCpp = readFileSync(join(prj, `${top}.cpp`), 'utf8');
  const impl = new Map<string, string>();
  for (const m of topCpp.matchAll(/COSEARCH_(?:WEIGHT|THRESHOLD)_ROM\((\w+), (\w+)\)/g)) impl.set(m[1]!, m[2]!);
  const out: Memory[] = [];
  for (const m of params.matchAll(/static const cosearch::(rom_limb|threshold_rom)<(\d+)>::type (\w+)\[(\d+)\]\[(\d+)\]\[(\d+)\] =/g)) {
    const [, , bits, name, pe, depth, per] = m;
    // dim 1 partitioned (PE memories), dim 3 reshaped into the word: width = elements per entry x element bits
    out.push({ name: name!, copies: Number(pe), depth: Number(depth), width: Number(per) * Number(bits), impl: impl.get(name!) ?? 'missing' });
  }
  // stream FIFOs: COSEARCH_FIFO(name, depth, impl) and the stream's declaration hls::stream<ap_uint<E * B> > name(
  for (const m of topCpp.matchAll(/COSEARCH_FIFO\((\w+), (\d+), (\w+)\)/g)) {
    const decl = new RegExp(`hls::stream<ap_uint<(\\d+) \\* (\\d+)> > ${m[1]!}\\(`).exec(topCpp);
    expect(decl, m[1]).not.toBeNull();
    out.push({ name: m[1]!, copies: 1, depth: Number(m[2]), width: Number(decl![1]) * Number(decl![2]), impl: m[3]! });
  }
  return out;
}

/** The FIFO stream `stream` belongs to layer `layer` (its window or input stream, or its producer's output it reads). */
const fifoOwner = new Map<string, string>();
function topFifoOf(stream: string, layer: string): boolean {
  return fifoOwner.get(stream) === layer;
}

function emit(d: Design, tag: string): string {
  const prj = join(mkdtempSync(join(tmpdir(), `cosearch-mem-${tag}-`)), 'prj');
  const size = d.input.height * d.input.width * d.input.channels;
  emitHls(randomIntModel(d, 1), prj, { testImages: new Uint8Array(size), testCount: 1 });
  return prj;
}

describe('HLS parameter memories follow the cost model', () => {
  it('romPack: one limb up to 64 bits, equal limbs above', () => {
    expect(romPack(3)).toEqual({ limbs: 1, limbBits: 3 });
    expect(romPack(64)).toEqual({ limbs: 1, limbBits: 64 });
    expect(romPack(96)).toEqual({ limbs: 2, limbBits: 48 });
    expect(romPack(256)).toEqual({ limbs: 4, limbBits: 64 });
    expect(romPack(67)).toEqual({ limbs: 2, limbBits: 34 });
  });

  it('CNV-W1A1: the BRAM18 of the emitted packed layout equal the estimate', () => {
    const prj = emit(cnv, 'cnv');
    const mems = emittedMemories(prj, 'cnv_w1a1_top');
    // which layer each COSEARCH_FIFO belongs to: the layer section it is written in
    const top = readFileSync(join(prj, 'cnv_w1a1_top.cpp'), 'utf8');
    for (const sec of top.split('  // ---- layer ').slice(1)) {
      const name = /^\d+: (\w+) /.exec(sec)![1]!;
      for (const m of sec.matchAll(/COSEARCH_FIFO\((\w+),/g)) fifoOwner.set(m[1]!, name);
    }
    const rep = estimateDesign(cnv, loadPart(cnv.target.part), DEFAULT_CALIBRATION);
    // every compute layer: one weight memory set, and one threshold set except the classifier
    expect(mems.filter((m) => m.name.endsWith('_W')).length).toBe(9);
    expect(mems.filter((m) => m.name.endsWith('_T')).length).toBe(8);
    for (const m of mems) expect(m.name.endsWith('_W') || m.name.endsWith('_T') ? ['bram', 'lutram'] : ['bram', 'srl'], m.name).toContain(m.impl);
    const bram = mems.reduce((s, m) => s + (m.impl === 'bram' ? m.copies * bram18For(m.depth, m.width) : 0), 0);
    // the estimate's BRAM18 of this design are the parameter memories and the stream FIFOs (window and pool buffers
    // are in LUTRAM)
    for (const l of rep.layers) expect((l.details?.swgBram18 as number | undefined) ?? 0, l.name).toBe(0);
    expect(bram).toBe(rep.total.bram18);
    // 114 BRAM18 of weights and thresholds + conv5's 72-word x 32-bit window FIFO
    expect(bram).toBe(115);
    expect(mems.filter((m) => !m.name.endsWith('_W') && !m.name.endsWith('_T') && m.impl === 'bram').map((m) => m.name)).toEqual(['L7_conv5_win']);
    // per layer: PE memories of NF*SF words of SIMD*W bits, in the style the estimate picked
    for (const l of rep.layers.filter((x) => x.details?.weightMem)) {
      const w = mems.find((m) => m.name.endsWith(`_${l.name}_W`))!;
      const d = l.details!;
      expect([w.copies, w.depth, w.width, w.impl], l.name).toEqual([d.pe, d.weightDepth, d.weightWidth, d.weightMem]);
      const t = mems.find((m) => m.name.endsWith(`_${l.name}_T`));
      if (t) expect(t.impl, l.name).toBe(d.thresholdMem);
      const f = mems.find((m) => /_(win|in|out)$/.test(m.name) && topFifoOf(m.name, l.name));
      expect([f?.depth, f?.impl], l.name).toEqual([d.inFifoDepth, d.inFifoMem]);
      expect(w.impl === 'bram' ? w.copies * bram18For(w.depth, w.width) : 0, l.name).toBe(d.weightBram18);
    }
    // the previous layout (ARRAY_PARTITION complete on SIMD: PE x SIMD memories of W bits) would need far more
    const perLane = rep.layers.filter((x) => x.details?.weightMem === 'bram').reduce((s, l) => s + (l.details!.pe as number) * (l.details!.simd as number) * bram18For(l.details!.weightDepth as number, 1), 0);
    expect(perLane).toBeGreaterThan(10 * bram);
  });

  it('an explicit memStyle in the design IR is what the top function binds', () => {
    const d = cloneDesign(cnv);
    d.name = 'styles';
    d.input = { height: 8, width: 8, channels: 1, bits: 8 };
    d.layers = [
      { kind: 'conv', name: 'c0', outChannels: 4, kernel: 3, padding: 1, wBits: 2, aBits: 2, pe: 2, simd: 3, memStyle: 'bram' },
      { kind: 'dense', name: 'f0', outFeatures: 64, wBits: 2, aBits: 1, pe: 1, simd: 8, memStyle: 'lutram' },
      { kind: 'dense', name: 'f1', outFeatures: 4, wBits: 2, pe: 1, simd: 1 },
    ];
    const mems = emittedMemories(emit(d, 'styles'), 'styles_top');
    expect(mems.find((m) => m.name === 'L0_c0_W')!.impl).toBe('bram');
    expect(mems.find((m) => m.name === 'L1_f0_W')!.impl).toBe('lutram');
    const rep = estimateDesign(d, loadPart(d.target.part), DEFAULT_CALIBRATION);
    expect(rep.layers.map((l) => l.details?.weightMem)).toEqual(['bram', 'lutram', mems.find((m) => m.name === 'L2_f1_W')!.impl]);
  });
});
