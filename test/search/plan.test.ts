import { describe, expect, it } from 'vitest';
import { diverseTop, generationSeed, normalizeOptions, planFinalEpochs, skeletonKey, type Candidate } from '../../src/search.js';
import { UsageError } from '../../src/errors.js';
import { genomeKey, type Genome } from '../../src/core/space.js';

const g = (ch: number, w: number): Genome => ({ convs: [{ ch, k: 3, pad: 'same', pool: true, w, a: 2 }], dense: [], outW: 4 });
const cand = (x: Genome): Candidate => ({ n: 0, key: genomeKey(x), genome: x, hw: { folded: true, fits: true, lut: 1, ff: 1, bram18: 0, dsp: 0, fps: 1, violations: [], violation: 0 }, pred: 0.5, gen: 0 });

describe('search plan and options', () => {
  it('validates options with usage errors', () => {
    expect(() => normalizeOptions({ luts: 0, fps: 1000 })).toThrow(UsageError);
    expect(() => normalizeOptions({ luts: 1000, fps: -1 })).toThrow(/--fps must be a positive number/);
    expect(() => normalizeOptions({ luts: 1000, fps: 10, strategy: 'x' as never })).toThrow(/unknown strategy/);
    expect(() => normalizeOptions({ luts: 1000, fps: 10, population: 2.5 })).toThrow(/--population must be a positive integer/);
    const o = normalizeOptions({ luts: 30000, fps: 1000, workers: 1 });
    expect(o).toMatchObject({ part: 'xc7z020', clockMHz: 100, dataset: 'fashion-mnist', space: 'default-28x28x1', strategy: 'cosearch', seed: 1, finalEpochs: 0 });
    // a larger budget allows larger (more MACs) candidates
    expect(normalizeOptions({ luts: 30000, fps: 1000, workers: 1, budgetMinutes: 60 }).maxTrainMacs).toBeGreaterThan(o.maxTrainMacs);
  });

  it('plans fewer final epochs for costlier networks, within [1, 10]', () => {
    const o = { budgetMinutes: 25, finalTrainLimit: 60000, workers: 1 };
    const small = planFinalEpochs(o, 2e5);
    const big = planFinalEpochs(o, 3e6);
    expect(small).toBeGreaterThan(big);
    expect(small).toBeLessThanOrEqual(10);
    expect(planFinalEpochs(o, 1e9)).toBe(1);
  });

  it('generation seeds are fixed and distinct', () => {
    expect(generationSeed(1, 3)).toBe(generationSeed(1, 3));
    const seeds = new Set(Array.from({ length: 200 }, (_, i) => generationSeed(7, i)));
    expect(seeds.size).toBe(200);
    expect(generationSeed(1, 0, 1)).not.toBe(generationSeed(1, 0, 0));
  });

  it('confirms distinct architectures first', () => {
    expect(skeletonKey(g(8, 2))).toBe(skeletonKey(g(8, 4)));
    const ranked = [cand(g(8, 2)), cand(g(8, 4)), cand(g(16, 2)), cand(g(8, 1)), cand(g(32, 2))];
    expect(diverseTop(ranked, 3).map((c) => c.key)).toEqual([ranked[0]!.key, ranked[2]!.key, ranked[4]!.key]);
    expect(diverseTop(ranked, 4).map((c) => c.key)).toEqual([ranked[0]!.key, ranked[2]!.key, ranked[4]!.key, ranked[1]!.key]);
  });
});
