import { describe, expect, it } from 'vitest';
import { crowdingDistance, nonDominatedSort, runNsga2, selectSurvivors } from '../../src/core/nsga2.js';
import { constrainedDominates, dominates, paretoFrontIndices, type Scored } from '../../src/core/pareto.js';
import { Rng } from '../../src/core/rng.js';
import { kendallTau } from '../../src/core/stats.js';

const s = (objectives: number[], violation = 0): Scored => ({ objectives, violation });

describe('pareto + NSGA-II', () => {
  it('dominance and constrained dominance', () => {
    expect(dominates([1, 1], [2, 2])).toBe(true);
    expect(dominates([1, 2], [2, 1])).toBe(false);
    expect(dominates([1, 1], [1, 1])).toBe(false);
    expect(constrainedDominates(s([9, 9]), s([0, 0], 0.1))).toBe(true);
    expect(constrainedDominates(s([0, 0], 0.2), s([9, 9], 0.1))).toBe(false);
    expect(constrainedDominates(s([0, 0], 0.05), s([9, 9], 0.1))).toBe(true);
  });

  it('sorts a known set into its fronts', () => {
    const pts = [s([1, 5]), s([2, 3]), s([4, 1]), s([3, 4]), s([5, 5]), s([2, 2], 1), s([6, 6])];
    const fronts = nonDominatedSort(pts);
    expect(fronts[0]!.sort()).toEqual([0, 1, 2]);
    expect(fronts[1]!.sort()).toEqual([3]);
    expect(fronts[2]!.sort()).toEqual([4]);
    expect(fronts[3]).toEqual([6]);
    expect(fronts[4]).toEqual([5]); // infeasible last
    expect(paretoFrontIndices(pts).sort()).toEqual([0, 1, 2]);
  });

  it('crowding distance: extremes infinite, interior by neighbour gaps', () => {
    const pts = [s([0, 4]), s([1, 3]), s([3, 1]), s([4, 0])];
    const d = crowdingDistance(pts, [0, 1, 2, 3]);
    expect(d.get(0)).toBe(Infinity);
    expect(d.get(3)).toBe(Infinity);
    expect(d.get(1)).toBeCloseTo(3 / 4 + 3 / 4);
    expect(d.get(2)).toBeCloseTo(3 / 4 + 3 / 4);
    expect(selectSurvivors([...pts, s([5, 5])], 4).sort()).toEqual([0, 1, 2, 3]);
  });

  it('converges to the known front of a bi-objective problem (ZDT1-like) and is deterministic', async () => {
    // genome: x in [0,1]^3 on a grid; f1 = x0, f2 = g * (1 - sqrt(f1 / g)), g = 1 + 9 * mean(x1, x2); front: x1 = x2 = 0
    const grid = 20;
    type G = number[];
    const f = (x: G): number[] => {
      const f1 = x[0]! / grid;
      const g = 1 + (9 * (x[1]! + x[2]!)) / (2 * grid);
      return [f1, g * (1 - Math.sqrt(f1 / g))];
    };
    const run = async (seed: number): Promise<{ genome: G; score: Scored }[]> =>
      runNsga2<G>({
        populationSize: 24,
        generations: 40,
        sample: (r) => [r.int(0, grid), r.int(0, grid), r.int(0, grid)],
        mutate: (g, r) => {
          const c = [...g];
          const i = r.int(0, 2);
          c[i] = Math.min(grid, Math.max(0, c[i]! + (r.next() < 0.5 ? -1 : 1) * r.int(1, 3)));
          return c;
        },
        crossover: (a, b, r) => a.map((v, i) => (r.next() < 0.5 ? v : b[i]!)),
        key: (g) => g.join(','),
        rngFor: (gen) => new Rng(seed * 1000 + gen),
        evaluate: (gs) => gs.map((g) => s(f(g))),
      });
    const pop = await run(1);
    const onFront = pop.filter((p) => p.genome[1] === 0 && p.genome[2] === 0).length;
    expect(onFront).toBeGreaterThanOrEqual(20);
    const spread = new Set(pop.map((p) => p.genome[0]));
    expect(spread.size).toBeGreaterThanOrEqual(12);
    expect((await run(1)).map((p) => p.genome.join(','))).toEqual(pop.map((p) => p.genome.join(',')));
  });

  it('kendall tau', () => {
    expect(kendallTau([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(kendallTau([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    expect(kendallTau([1, 2, 3], [1, 3, 2])).toBeCloseTo(1 / 3);
  });
});
