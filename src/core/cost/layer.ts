/**
 * One entry point for the cost of a layer at a given folding: `layerCost(params, geom, pe, simd, out)`.
 * conv = sliding-window generator + MVAU (a pipeline: cycles = max of the two; resources add up),
 * dense = MVAU, maxpool = streaming pool (simd ignored).
 * Also the per-kind cost function sets (`costModels.conv.luts(...)`, ...) for readable call sites.
 */
import type { CostParams } from '../calibration.js';
import type { ConvLayer, LayerInfo, PoolLayer, DenseLayer } from '../design.js';
import { MEM_BRAM, MEM_LUTRAM, MEM_NONE, STYLE_AUTO } from './memory.js';
import { mvauCost } from './mvau.js';
import { poolCost } from './pool.js';
import { swgCost, swgFfs } from './swg.js';
import { KIND_CONV, KIND_DENSE, KIND_POOL, newCostOut, type CostOut, type LayerGeom } from './types.js';

/** Fill `out` with the cost of layer `g` folded with (pe, simd). No allocation. */
export function layerCost(p: CostParams, g: LayerGeom, pe: number, simd: number, out: CostOut): void {
  if (g.kind === KIND_POOL) {
    poolCost(p, g, pe, out);
    return;
  }
  mvauCost(p, g, pe, simd, out);
  if (g.kind === KIND_CONV) {
    swgCost(p, g, simd, out);
    out.cycles = out.mvauCycles > out.swgCycles ? out.mvauCycles : out.swgCycles;
    out.lut += out.swgLuts;
    out.lutram += out.bufferLuts;
    out.bram18 += out.swgBram18;
    out.ff += swgFfs(p, g, simd);
  } else {
    out.swgCycles = 0;
    out.swgLuts = 0;
    out.bufferLuts = 0;
    out.swgBram18 = 0;
    out.bufferStyle = MEM_NONE;
    out.cycles = out.mvauCycles;
  }
}

function memStyleCode(s: string | undefined): number {
  return s === 'lutram' ? MEM_LUTRAM : s === 'bram' ? MEM_BRAM : STYLE_AUTO;
}

/** Numeric geometry of a layer from its LayerInfo (design.ts analyzeDesign). */
export function geomFromInfo(info: LayerInfo): LayerGeom {
  const l = info.layer;
  const isPool = l.kind === 'maxpool';
  const kind = l.kind === 'conv' ? KIND_CONV : isPool ? KIND_POOL : KIND_DENSE;
  const outBits = info.isLast ? 0 : info.outBits;
  return {
    kind,
    mw: info.matrixW,
    mh: info.matrixH,
    outPixels: info.outPixels,
    wBits: isPool ? 0 : (l as ConvLayer | DenseLayer).wBits,
    inBits: info.inBits,
    inBipolar: info.inBipolar,
    outBits,
    isLast: info.isLast,
    accBits: info.accBits,
    numThresholds: isPool || info.isLast ? 0 : 2 ** outBits - 1,
    kernel: l.kind === 'conv' ? l.kernel : isPool ? (l as PoolLayer).size : 1,
    padding: l.kind === 'conv' ? l.padding : 0,
    inH: info.inShape.height,
    inW: info.inShape.width,
    inC: info.inShape.channels,
    outH: info.outShape.height,
    outW: info.outShape.width,
    memStyle: isPool ? STYLE_AUTO : memStyleCode((l as ConvLayer | DenseLayer).memStyle),
  };
}

const scratch = newCostOut();

function figure(field: 'cycles' | 'lut' | 'ff' | 'bram18' | 'dsp') {
  return (p: CostParams, g: LayerGeom, pe: number, simd = 1): number => {
    layerCost(p, g, pe, simd, scratch);
    return scratch[field];
  };
}

/** Per-kind cost function sets (FINN habit: each layer kind carries luts(), ffs(), brams(), dsps(), cycles()). */
const set = { luts: figure('lut'), ffs: figure('ff'), brams: figure('bram18'), dsps: figure('dsp'), cycles: figure('cycles') };
export const costModels = { conv: set, dense: set, maxpool: set } as const;
