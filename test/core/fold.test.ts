/**
 * Property tests of the cost model and the folding optimizer on random valid designs (fast-check, seeded).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALIBRATION, costParams } from '../../src/core/calibration.js';
import { analyzeDesign, divisors, legalPe, legalSimd, type Design, type Layer } from '../../src/core/design.js';
import { geomFromInfo, layerCost } from '../../src/core/cost/layer.js';
import { KIND_POOL, newCostOut } from '../../src/core/cost/types.js';
import { estimateDesign } from '../../src/core/estimate.js';
import { cycleBudget, designMenus, foldForFps, foldForLuts, foldSummary, lutsAtBudget, minFeasibleBudget } from '../../src/core/fold.js';
import { loadPart } from '../../src/parts.js';

const calib = DEFAULT_CALIBRATION;
const p = costParams(calib);
const part = loadPart('xczu9eg');
const SEED = 20261124;
const bits = fc.constantFrom(1, 2, 3, 4, 8);

interface ConvSpec { out: number; k: number; pad: number; w: number; a: number; pool: boolean; mem: 'auto' | 'lutram' | 'bram' }
interface DenseSpec { out: number; w: number; a: number }

/** Build a valid design from a random spec (convs that do not fit are skipped). */
function build(s: { h: number; c: number; inBits: number; convs: ConvSpec[]; dense: DenseSpec[]; clock: number }): Design {
  const layers: Layer[] = [];
  let size = s.h;
  s.convs.forEach((cv, i) => {
    const pad = cv.k === 1 ? 0 : cv.pad;
    if (size + 2 * pad - cv.k + 1 < 1) return;
    layers.push({ kind: 'conv', name: `conv${i}`, outChannels: cv.out, kernel: cv.k, padding: pad, wBits: cv.w, aBits: cv.a, pe: 1, simd: 1, memStyle: cv.mem });
    size = size + 2 * pad - cv.k + 1;
    if (cv.pool && size >= 2) {
      layers.push({ kind: 'maxpool', name: `pool${i}`, size: 2 });
      size = Math.floor(size / 2);
    }
  });
  s.dense.forEach((dn, i) => {
    const last = i === s.dense.length - 1;
    layers.push({ kind: 'dense', name: `fc${i}`, outFeatures: dn.out, wBits: dn.w, ...(last ? {} : { aBits: dn.a }), pe: 1, simd: 1 });
  });
  return { version: 1, name: 'rnd', input: { height: s.h, width: s.h, channels: s.c, bits: s.inBits }, layers, target: { part: 'xczu9eg', clockMHz: s.clock } };
}

const arbDesign = fc
  .record({
    h: fc.integer({ min: 3, max: 12 }),
    c: fc.constantFrom(1, 2, 3, 4, 6),
    inBits: fc.constantFrom(1, 2, 8),
    convs: fc.array(
      fc.record({ out: fc.constantFrom(2, 4, 6, 8, 12, 16), k: fc.constantFrom(1, 3, 5), pad: fc.constantFrom(0, 1, 2), w: bits, a: bits, pool: fc.boolean(), mem: fc.constantFrom('auto' as const, 'lutram' as const, 'bram' as const) }),
      { minLength: 0, maxLength: 3 },
    ),
    dense: fc.array(fc.record({ out: fc.constantFrom(4, 6, 10, 16, 32), w: bits, a: bits }), { minLength: 1, maxLength: 2 }),
    clock: fc.constantFrom(100, 150, 200),
  })
  .map(build);

describe('random designs are valid', () => {
  it('the generator only produces designs without issues', () => {
    fc.assert(fc.property(arbDesign, (d) => analyzeDesign(d).issues.length === 0), { seed: SEED, numRuns: 200 });
  });
});

describe('cost model properties', () => {
  it('more PE (a multiple of the old PE) => no more cycles and no fewer LUTs', () => {
    // Multiples only: each PE owns its own weight/threshold memory, and LUTRAM is allocated in 64-deep steps per
    // memory (ceil(depth/64)), so going from e.g. 8 to 9 PEs can shrink every memory below a 64-entry boundary and
    // save LUTs - a real effect of distributed RAM. For PE multiples m * ceil(D/(64 m)) >= ceil(D/64) holds.
    const out = newCostOut();
    fc.assert(
      fc.property(arbDesign, (d) => {
        const { infos } = analyzeDesign(d);
        for (const info of infos) {
          const g = geomFromInfo(info);
          const pes = g.kind === KIND_POOL ? divisors(g.inC) : legalPe(info);
          const simds = g.kind === KIND_POOL ? [1] : legalSimd(info);
          for (const simd of simds) {
            for (const pe1 of pes) {
              layerCost(p, g, pe1, simd, out);
              const c1 = out.cycles;
              const l1 = out.lut;
              for (const pe2 of pes) {
                if (pe2 <= pe1 || pe2 % pe1 !== 0) continue;
                layerCost(p, g, pe2, simd, out);
                if (out.cycles > c1) return false;
                if (out.lut < l1 - 1e-9) return false;
              }
            }
          }
        }
        return true;
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('documents why non-multiple PE steps may save LUTs: 64-deep LUTRAM granularity per PE memory', () => {
    // dense 256 -> 72 (W1A1), SIMD 32 (SF = 8): PE 8 -> per-PE weight depth 9*8 = 72 -> 2 x 64-deep LUTRAM rows
    // of 32 bits = 64 LUTs per PE (512 total); PE 9 -> depth 8*8 = 64 -> 32 LUTs per PE (288 total).
    const d: Design = {
      version: 1, name: 'x', input: { height: 1, width: 1, channels: 16, bits: 1 },
      layers: [
        { kind: 'dense', outFeatures: 256, wBits: 1, aBits: 1, pe: 1, simd: 1 },
        { kind: 'dense', outFeatures: 72, wBits: 1, aBits: 1, pe: 8, simd: 32 },
        { kind: 'dense', outFeatures: 10, wBits: 1, pe: 1, simd: 1 },
      ],
      target: { part: 'xc7z020', clockMHz: 100 },
    };
    const g = geomFromInfo(analyzeDesign(d).infos[1]!);
    const out = newCostOut();
    layerCost(p, g, 8, 32, out);
    const [w8, l8] = [out.weightLuts, out.lut];
    layerCost(p, g, 9, 32, out);
    expect([w8, out.weightLuts]).toEqual([512, 288]);
    expect(out.lut).toBeLessThan(l8);
  });

  it('more SIMD (a multiple) => no more cycles', () => {
    const out = newCostOut();
    fc.assert(
      fc.property(arbDesign, (d) => {
        for (const info of analyzeDesign(d).infos) {
          if (info.kind === 'maxpool') continue;
          const g = geomFromInfo(info);
          const simds = legalSimd(info);
          for (const s1 of simds)
            for (const s2 of simds) {
              if (s2 <= s1 || s2 % s1 !== 0) continue;
              layerCost(p, g, 1, s1, out);
              const c1 = out.cycles;
              layerCost(p, g, 1, s2, out);
              if (out.cycles > c1) return false;
            }
        }
        return true;
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('throughput is f_clk / max layer cycles and the bottleneck is the slowest layer', () => {
    fc.assert(
      fc.property(arbDesign, (d) => {
        const r = estimateDesign(d, part, calib);
        const max = Math.max(...r.layers.map((l) => l.cycles!));
        const ok = r.performance.intervalCycles === max && Math.abs(r.performance.fps! - (d.target.clockMHz * 1e6) / max) < 1e-6;
        const marked = r.layers.filter((l) => l.bottleneck);
        return ok && marked.length >= 1 && marked.every((l) => l.cycles === max) && r.layers.filter((l) => l.cycles === max).length === marked.length;
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

/** Target fps between the slowest (all pe = simd = 1) and the fastest reachable throughput. */
const arbFoldCase = fc.tuple(arbDesign, fc.double({ min: 0, max: 1, noNaN: true })).map(([d, t]) => {
  const menus = designMenus(d, calib);
  const lo = minFeasibleBudget(menus).cycles;
  const hi = Math.max(...menus.map((m) => m.cycles[m.size - 1]!));
  const budget = Math.round(lo + t * (hi - lo));
  return { d, fps: (d.target.clockMHz * 1e6) / budget, budget };
});

describe('foldForFps', () => {
  it('meets the cycle budget on every layer, respects divisibility, and ignores the input folding', () => {
    fc.assert(
      fc.property(arbFoldCase, ({ d, fps }) => {
        const res = foldForFps(d, { fps }, part, calib);
        if (!res.ok) return false;
        const budget = cycleBudget(d.target.clockMHz, fps);
        if (!res.report.layers.every((l) => l.cycles! <= budget)) return false;
        if (res.report.performance.fps! < fps * (1 - 1e-9)) return false;
        if (analyzeDesign(res.design).issues.length) return false;
        // every pool pe divides its channels
        const { infos } = analyzeDesign(res.design);
        return res.design.layers.every((l, i) => l.kind !== 'maxpool' || infos[i]!.inShape.channels % l.pe! === 0);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('foldSummary gives the same totals as the folded design\'s report', () => {
    fc.assert(
      fc.property(arbFoldCase, ({ d, fps, budget }) => {
        const res = foldForFps(d, { fps }, part, calib);
        const s = foldSummary(designMenus(d, calib), budget, d.target.clockMHz);
        if (!res.ok || !s.feasible) return false;
        const t = res.report.total;
        return s.lut === t.lut && s.ff === t.ff && s.bram18 === t.bram18 && s.dsp === t.dsp && s.intervalCycles === res.report.performance.intervalCycles && s.fps === res.report.performance.fps;
      }),
      { seed: SEED, numRuns: 100 },
    );
    const d = build({ h: 8, c: 2, inBits: 8, convs: [], dense: [{ out: 4, w: 2, a: 2 }], clock: 100 });
    expect(foldSummary(designMenus(d, calib), 1, 100).feasible).toBe(true); // fully unfolded: pe 4, simd 128 -> 1 cycle
    expect(foldSummary(designMenus(d, calib), 0.5, 100).feasible).toBe(false);
  });

  it('is exact: equals the brute-force minimum of the layers\' total LUTs over all legal foldings (plus its converters)', () => {
    const out = newCostOut();
    fc.assert(
      fc.property(arbFoldCase, ({ d, fps, budget }) => {
        const { infos } = analyzeDesign(d);
        // per layer: all (lut) of foldings within the budget; total minimum by brute force over the product
        const options = infos.map((info) => {
          const g = geomFromInfo(info);
          const pes = g.kind === KIND_POOL ? divisors(g.inC) : legalPe(info);
          const simds = g.kind === KIND_POOL ? [1] : legalSimd(info);
          const luts: number[] = [];
          for (const pe of pes)
            for (const simd of simds) {
              layerCost(p, g, pe, simd, out);
              if (out.cycles <= budget) luts.push(Math.ceil(out.lut));
            }
          return luts;
        });
        const product = options.reduce((a, o) => a * o.length, 1);
        fc.pre(product > 0 && product <= 200_000);
        let best = Infinity;
        const rec = (i: number, acc: number): void => {
          if (i === options.length) {
            if (acc < best) best = acc;
            return;
          }
          for (const l of options[i]!) rec(i + 1, acc + l);
        };
        rec(0, 0);
        // the choice is exact on the layers' own LUTs; the report adds the width converters of the chosen chain
        const res = foldForFps(d, { fps }, part, calib);
        const converters = res.ok ? res.report.layers.reduce((t, l) => t + Math.ceil(Number(l.details?.dwcLuts ?? 0)), 0) : NaN;
        return res.ok && res.report.total.lut - converters === best;
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it('reports an unreachable frame rate with the limiting layer and the best reachable fps', () => {
    fc.assert(
      fc.property(arbDesign, (d) => {
        const menus = designMenus(d, calib);
        const lim = minFeasibleBudget(menus);
        const maxFps = (d.target.clockMHz * 1e6) / lim.cycles;
        const res = foldForFps(d, { fps: maxFps * 1.5 }, part, calib);
        if (res.ok || !res.best) return false;
        return res.reason.includes(menus[lim.layer]!.name) && Math.abs(res.best.report.performance.fps! - maxFps) < 1e-6 * maxFps;
      }),
      { seed: SEED, numRuns: 60 },
    );
    const d = build({ h: 8, c: 2, inBits: 8, convs: [], dense: [{ out: 4, w: 2, a: 2 }], clock: 100 });
    expect(foldForFps(d, { fps: 0 }, part, calib).ok).toBe(false);
    expect(foldForFps(d, { fps: Number.NaN }, part, calib).ok).toBe(false);
  });
});

describe('foldForLuts', () => {
  it('fits the LUT budget and is the fastest folding that does', () => {
    fc.assert(
      fc.property(arbDesign, fc.double({ min: 1, max: 4, noNaN: true }), (d, f) => {
        const menus = designMenus(d, calib);
        const top = Math.max(...menus.map((m) => m.cycles[m.size - 1]!));
        const cheapest = lutsAtBudget(menus, top);
        const luts = Math.floor(cheapest * f);
        const res = foldForLuts(d, { luts }, part, calib);
        if (!res.ok) return false;
        if (res.report.total.lut > luts) return false;
        if (analyzeDesign(res.design).issues.length) return false;
        // no faster candidate budget fits: every distinct cycle count below the result's interval exceeds the budget
        const interval = res.report.performance.intervalCycles!;
        const lo = minFeasibleBudget(menus).cycles;
        const faster = new Set<number>();
        for (const m of menus) for (let i = 0; i < m.size; i++) if (m.cycles[i]! < interval && m.cycles[i]! >= lo) faster.add(m.cycles[i]!);
        for (const b of faster) if (lutsAtBudget(menus, b) <= luts) return false;
        return true;
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('reports a budget below the cheapest folding with that folding as the best figure', () => {
    const d = build({ h: 10, c: 3, inBits: 8, convs: [{ out: 8, k: 3, pad: 1, w: 2, a: 2, pool: true, mem: 'auto' }], dense: [{ out: 10, w: 2, a: 2 }], clock: 100 });
    const res = foldForLuts(d, { luts: 100 }, part, calib);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.reason).toMatch(/cheapest folding .* needs [\d,]+ LUTs, more than the budget of 100 LUTs/);
    expect(res.best!.report.total.lut).toBeGreaterThan(100);
    expect(foldForLuts(d, { luts: -1 }, part, calib).ok).toBe(false);
  });
});

describe('estimate and emitters describe the same hardware', () => {
  it('per-layer MVAU/pool cycles, PE/SIMD, NF/SF and weight memory shape equal the emit contexts (src/emit/context.ts: one PE*SIMD*W-wide word = PE memories of SIMD*W bits)', async () => {
    const { layerContexts } = await import('../../src/emit/context.js');
    const { randomIntModel } = await import('../../src/core/random-intmodel.js');
    fc.assert(
      fc.property(arbFoldCase, ({ d, fps }) => {
        const res = foldForFps(d, { fps }, part, calib);
        if (!res.ok) return false;
        const ctxs = layerContexts(randomIntModel(res.design, 7));
        return res.report.layers.every((l, i) => {
          const c = ctxs[i]!;
          const det = l.details!;
          if (c.kind === 'maxpool') return l.cycles === c.cycles && det.pe === c.pe;
          return det.mvauCycles === c.cycles && det.pe === c.pe && det.simd === c.simd && det.weightDepth === c.weightDepth && (det.weightWidth as number) * c.pe === c.weightWidth && det.accBits === c.accBits && det.nf === c.nf && det.sf === c.sf;
        });
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});
