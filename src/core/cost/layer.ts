/**
 * One entry point for the cost of a layer at a given folding: `layerCost(params, geom, pe, simd, out)`, dispatched to
 * the layer's kind (src/layers/<kind>/kind.ts `cost`: conv = sliding-window generator + MVAU, dense / pointwise =
 * MVAU, depthwise = window generator + VVAU, maxpool = streaming pool). The building blocks are in this folder
 * (mvau.ts, swg.ts, pool.ts, memory.ts).
 */
import type { CostParams } from '../calibration.js';
import type { LayerInfo } from '../design.js';
import { KIND_BY_CODE, kindOf } from '../../layers/registry.js';
import { MEM_BRAM, MEM_LUTRAM, STYLE_AUTO } from './memory.js';
import { newCostOut, type CostOut, type LayerGeom } from './types.js';

/** Fill `out` with the cost of layer `g` folded with (pe, simd). No allocation. */
export function layerCost(p: CostParams, g: LayerGeom, pe: number, simd: number, out: CostOut): void {
  KIND_BY_CODE[g.kind]!.cost(p, g, pe, simd, out);
}

function memStyleCode(s: string | undefined): number {
  return s === 'lutram' ? MEM_LUTRAM : s === 'bram' ? MEM_BRAM : STYLE_AUTO;
}

/** Numeric geometry of a layer from its LayerInfo (design.ts analyzeDesign). */
export function geomFromInfo(info: LayerInfo): LayerGeom {
  const l = info.layer;
  const k = kindOf(l);
  const outBits = info.isLast ? 0 : info.outBits;
  const win = k.window(l);
  return {
    kind: k.code,
    mw: info.matrixW,
    mh: info.matrixH,
    outPixels: info.outPixels,
    wBits: k.wBits(l),
    inBits: info.inBits,
    inBipolar: info.inBipolar,
    outBits,
    isLast: info.isLast,
    accBits: info.accBits,
    numThresholds: !k.compute || info.isLast ? 0 : 2 ** outBits - 1,
    kernel: win.kernel,
    padding: win.padding,
    inH: info.inShape.height,
    inW: info.inShape.width,
    inC: info.inShape.channels,
    outH: info.outShape.height,
    outW: info.outShape.width,
    memStyle: memStyleCode(k.memStyle(l)),
  };
}

const scratch = newCostOut();

function figure(field: 'cycles' | 'lut' | 'ff' | 'bram18' | 'dsp') {
  return (p: CostParams, g: LayerGeom, pe: number, simd = 1): number => {
    layerCost(p, g, pe, simd, scratch);
    return scratch[field];
  };
}

/** Cost function set (FINN habit: each layer kind carries luts(), ffs(), brams(), dsps(), cycles()); dispatched by g.kind. */
const set = { luts: figure('lut'), ffs: figure('ff'), brams: figure('bram18'), dsps: figure('dsp'), cycles: figure('cycles') };
export const costModels = { conv: set, dense: set, maxpool: set, pointwise: set, depthwise: set } as const;
