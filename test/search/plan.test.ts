/** The search's plan and options (pure): validation, rungs, final epochs from the QAT speed, seeds, diversity. */
import { describe, expect, it } from 'vitest';
import { generationSeed, normalizeOptions, skeletonKey } from '../../src/search.js';
import { UsageError } from '../../src/errors.js';
import { finalEpochsFor, jobSeconds, makePlan, trainable, MAX_FINAL_EPOCHS } from '../../src/search/plan.js';
import { parseGenomeKey } from '../../src/search/key.js';
import { genomeKey } from '../../src/core/space.js';

const speed = { perImage: 3e-4, perMacImage: 1e-9, measured: false };

describe('search plan', () => {
  it('validates options with usage errors (seeds must be integers in [0, 2^32))', () => {
    expect(() => normalizeOptions({ luts: 30000, fps: 1000 })).not.toThrow();
    for (const bad of [{ luts: -1 }, { fps: 0 }, { seed: NaN }, { seed: Infinity }, { seed: -1 }, { seed: 1.5 }, { seed: 2 ** 32 }, { workers: 0 }, { budgetMinutes: -3 }, { qatSpeed: 'fast' }, { finalRecipe: 'magic' }, { strategy: 'x' as never }])
      expect(() => normalizeOptions({ luts: 30000, fps: 1000, ...bad }), JSON.stringify(bad)).toThrow(UsageError);
    expect(normalizeOptions({ luts: 30000, fps: 1000, seed: 2 ** 32 - 1 }).seed).toBe(2 ** 32 - 1);
  });

  it('rungs: r0 is the shipped table schedule, r1 sees more images; small datasets get more epochs instead', () => {
    const p = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, speed);
    expect(p.rungs.map((r) => [r.name, r.fidelity.epochs, r.fidelity.trainLimit])).toEqual([['r0', 1, 6000], ['r1', 1, 20000]]);
    const q = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 400, 200, speed);
    expect(q.rungs.map((r) => [r.fidelity.epochs, r.fidelity.trainLimit])).toEqual([[1, 400], [3, 400]]);
  });

  it('final epochs fill the final share of the budget: fewer for costlier networks, capped; untrainable ones are rejected', () => {
    const p = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, speed);
    const small = finalEpochsFor(p, 1e5);
    const big = finalEpochsFor(p, 2e7);
    expect(small).toBe(MAX_FINAL_EPOCHS);
    expect(big).toBeLessThan(small);
    expect(big).toBe(Math.floor(p.finalSeconds / jobSeconds(p, 2e7, { epochs: 1, trainLimit: 60000, testLimit: 0 })));
    expect(trainable(p, 1e9)).toBe(false);
    const fixed = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: 3 }, 60000, 10000, speed);
    expect(finalEpochsFor(fixed, 1e9)).toBe(3);
  });

  it('generation seeds are fixed and distinct; skeleton keys drop bit widths', () => {
    expect(generationSeed(1, 0)).toBe(generationSeed(1, 0));
    expect(new Set([0, 1, 2, 3].map((g) => generationSeed(1, g))).size).toBe(4);
    expect(generationSeed(1, 0, 1)).not.toBe(generationSeed(1, 0, 0));
    expect(skeletonKey(parseGenomeKey('c24k3vpw4a4|d128w1a1|o2'))).toBe(skeletonKey(parseGenomeKey('c24k3vpw8a2|d128w4a4|o8')));
  });

  it('candidate keys parse back to their genome; a bad key is a usage error', () => {
    for (const k of ['c32k3spw4a4-c64k3spw4a4|d128w4a4|o8', 'c4k5vw1a1||o2', 'c8k3spw2a1|d16w2a2|o4']) expect(genomeKey(parseGenomeKey(k))).toBe(k);
    expect(() => parseGenomeKey('c32k3|o8')).toThrow(UsageError);
  });
});
