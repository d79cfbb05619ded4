/**
 * Core benchmarks: layer estimates per second (goal >= 1,000,000 on one core) and folding time of a 10-layer
 * network (goal: median <= 5 ms). Run: `npx tsx bench/core.ts` (or `node dist/bench/core.js` after a build).
 */
import { DEFAULT_CALIBRATION, costParams, type Calibration } from '../src/core/calibration.js';
import { analyzeDesign, legalPe, legalSimd, type Design } from '../src/core/design.js';
import { geomFromInfo, layerCost } from '../src/core/cost/layer.js';
import { newCostOut, type LayerGeom } from '../src/core/cost/types.js';
import { estimateDesign } from '../src/core/estimate.js';
import { cycleBudget, designMenus, foldForFps, foldForLuts, foldSummary } from '../src/core/fold.js';
import type { Part } from '../src/core/part.js';

const part: Part = { name: 'xc7z020', family: 'zynq7000', yosysFamily: 'xc7', lut: 53200, ff: 106400, bram18: 280, dsp: 220, uram: 0 };

/** A 10-layer network: 6 conv + 2 max-pool + 2 dense, mixed bit widths (W1..W8). */
export const NET10: Design = {
  version: 1,
  name: 'bench10',
  input: { height: 32, width: 32, channels: 3, bits: 8 },
  layers: [
    { kind: 'conv', outChannels: 64, kernel: 3, padding: 0, wBits: 2, aBits: 2, pe: 1, simd: 1 },
    { kind: 'conv', outChannels: 64, kernel: 3, padding: 0, wBits: 2, aBits: 2, pe: 1, simd: 1 },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv', outChannels: 128, kernel: 3, padding: 0, wBits: 2, aBits: 2, pe: 1, simd: 1 },
    { kind: 'conv', outChannels: 128, kernel: 3, padding: 0, wBits: 1, aBits: 1, pe: 1, simd: 1 },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv', outChannels: 256, kernel: 3, padding: 0, wBits: 1, aBits: 1, pe: 1, simd: 1 },
    { kind: 'conv', outChannels: 256, kernel: 3, padding: 0, wBits: 1, aBits: 4, pe: 1, simd: 1 },
    { kind: 'dense', outFeatures: 512, wBits: 4, aBits: 4, pe: 1, simd: 1 },
    { kind: 'dense', outFeatures: 10, wBits: 8, pe: 1, simd: 1 },
  ],
  target: { part: 'xc7z020', clockMHz: 100 },
};

function stats(xs: number[]): { median: number; p95: number; min: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!, min: s[0]! };
}

function benchLayerEstimates(): number {
  const p = costParams(DEFAULT_CALIBRATION);
  const { infos } = analyzeDesign(NET10);
  // every legal folding of every layer, as flat arrays
  const geoms: LayerGeom[] = [];
  const pes: number[] = [];
  const simds: number[] = [];
  for (const info of infos) {
    const g = geomFromInfo(info);
    for (const pe of legalPe(info))
      for (const simd of legalSimd(info)) {
        geoms.push(g);
        pes.push(pe);
        simds.push(simd);
      }
  }
  const n = geoms.length;
  const out = newCostOut();
  let sink = 0;
  const run = (count: number): number => {
    const t0 = process.hrtime.bigint();
    for (let i = 0, k = 0; i < count; i++) {
      layerCost(p, geoms[k]!, pes[k]!, simds[k]!, out);
      sink += out.lut;
      if (++k === n) k = 0;
    }
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  run(200_000); // warm-up (JIT)
  const count = 5_000_000;
  const secs = run(count);
  if (sink < 0) console.log(sink);
  const rate = count / secs;
  console.log(`layer estimates: ${count.toLocaleString('en-US')} in ${secs.toFixed(3)} s = ${Math.round(rate).toLocaleString('en-US')} /s (${n} distinct layer foldings; goal >= 1,000,000/s)`);
  return rate;
}

function benchEstimateDesign(): void {
  const calib = DEFAULT_CALIBRATION;
  for (let i = 0; i < 200; i++) estimateDesign(NET10, part, calib);
  const count = 5000;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) estimateDesign(NET10, part, calib);
  const ms = performance.now() - t0;
  console.log(`estimateDesign (10 layers, full report): ${((ms / count) * 1000).toFixed(1)} us each = ${Math.round((count / ms) * 1000).toLocaleString('en-US')} designs/s`);
}

function benchFold(): { coldMedian: number } {
  const runs = 200;
  const cold: number[] = [];
  const warm: number[] = [];
  const lutsCold: number[] = [];
  for (let i = 0; i < runs; i++) {
    // a fresh calibration object has an empty menu cache: a cold fold
    const c: Calibration = { ...DEFAULT_CALIBRATION, constants: { ...DEFAULT_CALIBRATION.constants } };
    const fps = 200 + ((i * 37) % 1800);
    let t0 = performance.now();
    const r = foldForFps(NET10, { fps }, part, c);
    cold.push(performance.now() - t0);
    if (!r.ok && !r.best) throw new Error(r.reason);
    t0 = performance.now();
    foldForFps(NET10, { fps: fps * 1.01 }, part, c);
    warm.push(performance.now() - t0);
    const c2: Calibration = { ...DEFAULT_CALIBRATION, constants: { ...DEFAULT_CALIBRATION.constants } };
    t0 = performance.now();
    foldForLuts(NET10, { luts: 20000 + ((i * 113) % 30000) }, part, c2);
    lutsCold.push(performance.now() - t0);
  }
  const c = stats(cold);
  const w = stats(warm);
  const l = stats(lutsCold);
  console.log(`foldForFps, 10-layer network, cold menus: median ${c.median.toFixed(2)} ms, p95 ${c.p95.toFixed(2)} ms (goal median <= 5 ms)`);
  console.log(`foldForFps, 10-layer network, cached menus: median ${w.median.toFixed(3)} ms, p95 ${w.p95.toFixed(3)} ms`);
  console.log(`foldForLuts, 10-layer network, cold menus: median ${l.median.toFixed(2)} ms, p95 ${l.p95.toFixed(2)} ms`);
  // search fast path: cached menus + foldSummary (no design copy, no report)
  const menus = designMenus(NET10, DEFAULT_CALIBRATION);
  const n = 200_000;
  let sink = 0;
  let t0 = performance.now();
  for (let i = 0; i < n; i++) sink += foldSummary(menus, cycleBudget(100, 200 + (i % 1800)), 100).lut;
  const perSummary = ((performance.now() - t0) / n) * 1000;
  t0 = performance.now();
  for (let i = 0; i < 20_000; i++) designMenus(NET10, DEFAULT_CALIBRATION);
  const perMenus = ((performance.now() - t0) / 20_000) * 1000;
  if (sink < 0) console.log(sink);
  console.log(`search fast path: foldSummary ${perSummary.toFixed(2)} us, designMenus (cached, incl. shape analysis) ${perMenus.toFixed(1)} us per design`);
  return { coldMedian: c.median };
}

/** Run every core benchmark and print the figures; returns them (for a bench runner). */
export function runCoreBench(): { layerEstimatesPerSec: number; foldColdMedianMs: number } {
  console.log(`cosearch core bench (node ${process.version})`);
  const rate = benchLayerEstimates();
  benchEstimateDesign();
  const f = benchFold();
  console.log(`goals: layer estimates ${rate >= 1e6 ? 'MET' : 'MISSED'}, fold median ${f.coldMedian <= 5 ? 'MET' : 'MISSED'}`);
  return { layerEstimatesPerSec: rate, foldColdMedianMs: f.coldMedian };
}

const script = process.argv[1] ?? '';
if (script.endsWith('bench/core.ts') || script.endsWith('bench/core.js')) runCoreBench();
