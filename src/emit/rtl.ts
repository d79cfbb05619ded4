/**
 * Verilog RTL twin: writes PRJ/rtl/ with the static library (templates/rtl/lib/*.v), one generated module per
 * layer (templates/rtl/layer.v.hbs with the kind's control partial src/layers/<kind>/rtl.hbs), the top (top.v.hbs), a verilator testbench (tb.v.hbs), the weight and
 * threshold ROM images ($readmemh files, one per PE), test vectors (input images and the integer reference's
 * logits from intInfer) and a manifest. Contexts come from src/emit/context.ts (shared with the HLS emitter),
 * so NF/SF/weight layout are the ones the cost model and the HLS library use.
 *
 * Architecture (see the comments in templates/rtl/lib/): per layer a width converter (producer word -> the
 * word the layer consumes), the layer control (conv: line buffer + window addressing fused with the MVAU
 * loop, per channel group for depthwise; dense, pointwise, 1x1 conv: ping-pong input buffer; maxpool: row buffer of
 * partial maxima), the MVAU datapath (depthwise: PE lanes of one product, cs_mvau.v DW) and a
 * 2-deep output FIFO; valid/ready streams between layers.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { layerContexts, foldedWeight, threshold, type LayerContext } from './context.js';
import { registerKindPartials, renderTemplate } from './render.js';
import { kindOf } from '../layers/registry.js';
import type { Calibration } from '../core/calibration.js';
import { intInfer } from '../ml/intref.js';
import type { IntModel } from '../core/intmodel.js';
import type { Design } from '../core/design.js';
import { copyFileAtomic, packageRoot, writeFileAtomic, writeJsonAtomic } from '../io.js';
import { DataError } from '../errors.js';

/** Products with both operands at least this wide use `*` (DSP-eligible); matches the cost model default. */
export const RTL_DSP_MIN_OPERAND_BITS = 5;

export interface RtlLayerManifest {
  index: number;
  name: string;
  kind: string;
  module: string;
  cycles: number;
  pe: number;
  simd: number;
  weightStyle: 'lutram' | 'bram' | 'none';
}

export interface RtlManifest {
  format: 'cosearch-rtl-project';
  version: 1;
  top: 'cosearch_top';
  design: Design;
  layers: RtlLayerManifest[];
  testCount: number;
  pixelsPerImage: number;
  numClasses: number;
  outAccBits: number;
  /** cycles per image of the slowest layer (cycle model) */
  intervalCycles: number;
  sources: string[];
}

const clog2 = (n: number): number => Math.max(1, Math.ceil(Math.log2(Math.max(2, n))));
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const lcm = (a: number, b: number): number => (a / gcd(a, b)) * b;

/** Verilog-safe module name of a layer. */
export function rtlModuleName(ctx: { index: number; name: string }): string {
  return `L${ctx.index}_${ctx.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** Pack lane values (two's complement, `bits` each, lane 0 in the LSBs) into a hex word of `lanes*bits` bits. */
export function packHex(values: ArrayLike<number>, bits: number): string {
  const width = values.length * bits;
  const mask = (1n << BigInt(bits)) - 1n;
  let w = 0n;
  for (let i = values.length - 1; i >= 0; i--) w = (w << BigInt(bits)) | (BigInt(values[i]!) & mask);
  return w.toString(16).padStart(Math.ceil(width / 4), '0');
}

interface Rom { kind: 'w' | 't'; p: number; width: number; depth: number; aw: number; style: number; file: string; addr: string; port: string; lo: number }

function layerView(ctx: LayerContext, inElems: number, design: string) {
  const mod = rtlModuleName(ctx);
  const kv = kindOf(ctx.info.layer).rtl(ctx);
  const isPool = !ctx.compute;
  const outElems = ctx.pe;
  const outElemBits = isPool ? ctx.inBits : ctx.isLast ? ctx.accBits : ctx.outBits;
  const cvElems = kv.cvElems;
  const L = lcm(inElems, cvElems);
  const thrBits = ctx.accBits + 1;
  const numThrRom = Math.max(1, ctx.numThresholds);
  const roms: Rom[] = [];
  const style = ctx.weightStyle;
  // a VVAU (depthwise) gives PE p its own input element: its datapath word is PE elements, SIMD = 1 per PE
  const dw = kv.params.dw === 1;
  if (!isPool) {
    const ww = ctx.simd * ctx.wBits;
    for (let p = 0; p < ctx.pe; p++) {
      roms.push({ kind: 'w', p, width: ww, depth: ctx.weightDepth, aw: clog2(ctx.weightDepth), style: style === 'bram' ? 2 : 1, file: `mem/L${ctx.index}_w_p${p}.mem`, addr: 'w_addr', port: 'w1', lo: p * ww });
    }
    if (!ctx.isLast) {
      const tw = ctx.numThresholds * thrBits;
      for (let p = 0; p < ctx.pe; p++) {
        roms.push({ kind: 't', p, width: tw, depth: ctx.nf, aw: clog2(ctx.nf), style: ctx.thresholdStyle === 'bram' ? 2 : 1, file: `mem/L${ctx.index}_t_p${p}.mem`, addr: 't_addr', port: 't1', lo: p * tw });
      }
    }
  }
  return {
    mod, design, idx: ctx.index, next: ctx.index + 1, kind: ctx.kind, isPool, ctlPartial: `rtl_${kv.partial}`, isLast: ctx.isLast,
    inH: ctx.inH, inW: ctx.inW, inC: ctx.inC, outH: ctx.outH, outW: ctx.outW,
    inBits: ctx.inBits, inElems, inWordBits: inElems * ctx.inBits,
    outElems, outElemBits, outWordBits: outElems * outElemBits,
    cvElems, cvWordBits: cvElems * ctx.inBits, dwcL: L, dwcNI: L / inElems, dwcNO: L / cvElems,
    poolSize: ctx.poolSize, pe: ctx.pe, simd: ctx.simd, nf: ctx.nf, sf: ctx.sf, cycles: ctx.cycles,
    matrixW: ctx.matrixW, matrixH: ctx.matrixH, wBits: ctx.wBits, outBits: ctx.outBits, accBits: ctx.accBits,
    kernel: ctx.kernel, padding: ctx.padding,
    xElems: dw ? ctx.pe : ctx.simd, dwInt: dw ? 1 : 0,
    wAW: clog2(ctx.weightDepth), tAW: clog2(ctx.nf),
    thrBits, numThrRom, thrRomZero: `{${ctx.pe * numThrRom * thrBits}{1'b0}}`, roms,
    inBipolarInt: ctx.inBipolar ? 1 : 0, isLastInt: ctx.isLast ? 1 : 0, outBitsOrOne: Math.max(1, ctx.outBits),
    dspMin: RTL_DSP_MIN_OPERAND_BITS, weightStyle: style,
    ...kv.params,
  };
}

/** Weight ROM image of PE p: NF*SF lines of SIMD weights (1-bit: bit 1 = +1). */
function weightMem(ctx: LayerContext, p: number): string {
  const lines: string[] = [];
  const lane = new Array<number>(ctx.simd);
  for (let nf = 0; nf < ctx.nf; nf++)
    for (let sf = 0; sf < ctx.sf; sf++) {
      for (let s = 0; s < ctx.simd; s++) {
        const w = foldedWeight(ctx, p, nf, sf, s);
        lane[s] = ctx.wBits === 1 ? (w > 0 ? 1 : 0) : w;
      }
      lines.push(packHex(lane, ctx.wBits));
    }
  return lines.join('\n') + '\n';
}

/** Threshold ROM image of PE p: NF lines of the thresholds of channel nf*PE+p, clamped to the accumulator range. */
function thresholdMem(ctx: LayerContext, p: number): string {
  const lines: string[] = [];
  const lim = 2 ** (ctx.accBits - 1);
  const row = new Array<number>(ctx.numThresholds);
  for (let nf = 0; nf < ctx.nf; nf++) {
    const o = nf * ctx.pe + p;
    for (let t = 0; t < ctx.numThresholds; t++) row[t] = Math.min(lim, Math.max(-lim, threshold(ctx, o, t)));
    lines.push(packHex(row, ctx.accBits + 1));
  }
  return lines.join('\n') + '\n';
}

/**
 * Write the RTL twin of `model` into outDir/rtl. `calibration` (default: the default calibration) decides the weight
 * memory style of 'auto' layers with the cost model's rule (src/core/cost/memory.ts chooseMemory), so the estimate
 * and the emitted ROMs agree.
 */
export function emitRtl(model: IntModel, outDir: string, opts: { testImages: Uint8Array; testCount: number; calibration?: Calibration }): { files: string[] } {
  const d = model.design;
  const ctxs = layerContexts(model, opts.calibration);
  const last = ctxs[ctxs.length - 1]!;
  if (!last.compute || !last.isLast) {
    throw new DataError('the RTL emitter needs the last layer to be the classifier (conv or dense)', { jsonPath: `/layers/${ctxs.length - 1}` });
  }
  const pixels = d.input.height * d.input.width;
  const imgSize = pixels * d.input.channels;
  if (opts.testCount < 1 || opts.testImages.length < opts.testCount * imgSize) {
    throw new DataError(`emitRtl: ${opts.testCount} test images of ${imgSize} codes need ${opts.testCount * imgSize} values, got ${opts.testImages.length}`);
  }
  const rtlDir = join(outDir, 'rtl');
  const files: string[] = [];
  const put = (rel: string, text: string): void => {
    writeFileAtomic(join(rtlDir, rel), text);
    files.push(join(rtlDir, rel));
  };
  // static library
  mkdirSync(join(rtlDir, 'lib'), { recursive: true });
  const libDir = join(packageRoot(), 'templates', 'rtl', 'lib');
  const libFiles = readdirSync(libDir).filter((f) => f.endsWith('.v')).sort();
  for (const f of libFiles) {
    copyFileAtomic(join(libDir, f), join(rtlDir, 'lib', f));
    files.push(join(rtlDir, 'lib', f));
  }
  // layers
  const views = [];
  let inElems = d.input.channels;
  for (const c of ctxs) {
    const v = layerView(c, inElems, d.name);
    views.push(v);
    inElems = v.outElems;
  }
  registerKindPartials('rtl');
  put('layers.v', views.map((v) => renderTemplate('rtl/layer.v.hbs', v)).join('\n'));
  for (const c of ctxs) {
    if (!c.compute) continue;
    for (let p = 0; p < c.pe; p++) {
      put(`mem/L${c.index}_w_p${p}.mem`, weightMem(c, p));
      if (!c.isLast) put(`mem/L${c.index}_t_p${p}.mem`, thresholdMem(c, p));
    }
  }
  const inWordBits = d.input.channels * d.input.bits;
  const outView = views[views.length - 1]!;
  const interval = Math.max(...ctxs.map((c) => c.cycles));
  const topCtx = {
    design: d.name, inC: d.input.channels, inBits: d.input.bits, inWordBits, outWordBits: outView.outWordBits,
    outPe: last.pe, outNf: last.nf, outAccBits: last.accBits, outLastConst: last.nf === 1, outCountBits: clog2(last.nf), numLayers: views.length, layers: views,
    testCount: opts.testCount, pixelsPerImage: pixels, numClasses: last.matrixH,
    watchdogCycles: 4 * (interval + ctxs.reduce((s, c) => s + c.cycles, 0)) + 10000,
  };
  put('top.v', renderTemplate('rtl/top.v.hbs', topCtx));
  put('tb.v', renderTemplate('rtl/tb.v.hbs', topCtx));
  // test vectors
  const inLines: string[] = [];
  const expLines: string[] = [];
  const px = new Array<number>(d.input.channels);
  for (let n = 0; n < opts.testCount; n++) {
    const img = opts.testImages.subarray(n * imgSize, (n + 1) * imgSize);
    for (let q = 0; q < pixels; q++) {
      for (let c = 0; c < d.input.channels; c++) px[c] = img[q * d.input.channels + c]!;
      inLines.push(packHex(px, d.input.bits));
    }
    const r = intInfer(model, img);
    for (const v of r.logits) expLines.push(packHex([v], last.accBits));
  }
  put('vectors/input.hex', inLines.join('\n') + '\n');
  put('vectors/expected.hex', expLines.join('\n') + '\n');
  const sources = [...libFiles.map((f) => `lib/${f}`), 'layers.v', 'top.v'];
  const manifest: RtlManifest = {
    format: 'cosearch-rtl-project', version: 1, top: 'cosearch_top', design: d,
    layers: views.map((v) => ({ index: v.idx, name: ctxs[v.idx]!.name, kind: v.kind, module: v.mod, cycles: v.cycles, pe: v.pe, simd: v.simd, weightStyle: v.weightStyle })),
    testCount: opts.testCount, pixelsPerImage: pixels, numClasses: last.matrixH, outAccBits: last.accBits,
    intervalCycles: interval, sources,
  };
  writeJsonAtomic(join(rtlDir, 'manifest.json'), manifest);
  files.push(join(rtlDir, 'manifest.json'));
  return { files };
}
