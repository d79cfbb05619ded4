/**
 * NSGA-II selection (pure, deterministic given an Rng): fast non-dominated sorting, crowding distance,
 * crowded-comparison tournaments and elitist survivor selection, after Deb, Pratap, Agarwal and Meyarivan,
 * "A fast and elitist multiobjective genetic algorithm: NSGA-II", IEEE Trans. Evol. Comput. 6(2), 2002.
 * Constraints use constrained domination (src/core/pareto.ts): infeasible candidates are dominated by every
 * feasible one. Variation operators (mutation, crossover) are supplied by the caller (src/core/space.ts).
 */
import { constrainedDominates, type Scored } from './pareto.js';
import type { Rng } from './rng.js';

/** Fronts of indices: fronts[0] is the non-dominated set, and so on. */
export function nonDominatedSort(pop: readonly Scored[]): number[][] {
  const n = pop.length;
  const dominatedBy: number[][] = Array.from({ length: n }, () => []);
  const count = new Int32Array(n);
  const fronts: number[][] = [[]];
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      if (constrainedDominates(pop[p]!, pop[q]!)) {
        dominatedBy[p]!.push(q);
        count[q]!++;
      } else if (constrainedDominates(pop[q]!, pop[p]!)) {
        dominatedBy[q]!.push(p);
        count[p]!++;
      }
    }
  }
  for (let p = 0; p < n; p++) if (count[p] === 0) fronts[0]!.push(p);
  let i = 0;
  while (fronts[i]!.length > 0) {
    const next: number[] = [];
    for (const p of fronts[i]!) {
      for (const q of dominatedBy[p]!) {
        count[q]!--;
        if (count[q] === 0) next.push(q);
      }
    }
    i++;
    fronts.push(next);
  }
  fronts.pop();
  return fronts;
}

/** Crowding distance of each member of one front (Infinity at the extremes of every objective). */
export function crowdingDistance(pop: readonly Scored[], front: readonly number[]): Map<number, number> {
  const d = new Map<number, number>();
  for (const i of front) d.set(i, 0);
  if (front.length === 0) return d;
  const m = pop[front[0]!]!.objectives.length;
  for (let k = 0; k < m; k++) {
    const sorted = [...front].sort((a, b) => pop[a]!.objectives[k]! - pop[b]!.objectives[k]! || a - b);
    const lo = pop[sorted[0]!]!.objectives[k]!;
    const hi = pop[sorted[sorted.length - 1]!]!.objectives[k]!;
    d.set(sorted[0]!, Infinity);
    d.set(sorted[sorted.length - 1]!, Infinity);
    if (hi === lo) continue;
    for (let j = 1; j < sorted.length - 1; j++) {
      const cur = d.get(sorted[j]!)!;
      if (cur === Infinity) continue;
      d.set(sorted[j]!, cur + (pop[sorted[j + 1]!]!.objectives[k]! - pop[sorted[j - 1]!]!.objectives[k]!) / (hi - lo));
    }
  }
  return d;
}

export interface Ranking {
  rank: Int32Array;
  crowding: Float64Array;
  fronts: number[][];
}

export function rankPopulation(pop: readonly Scored[]): Ranking {
  const fronts = nonDominatedSort(pop);
  const rank = new Int32Array(pop.length);
  const crowding = new Float64Array(pop.length);
  fronts.forEach((f, r) => {
    const cd = crowdingDistance(pop, f);
    for (const i of f) {
      rank[i] = r;
      crowding[i] = cd.get(i)!;
    }
  });
  return { rank, crowding, fronts };
}

/** Crowded comparison: lower rank wins, then larger crowding distance, then the lower index (determinism). */
export function crowdedBetter(r: Ranking, a: number, b: number): boolean {
  if (r.rank[a] !== r.rank[b]) return r.rank[a]! < r.rank[b]!;
  if (r.crowding[a] !== r.crowding[b]) return r.crowding[a]! > r.crowding[b]!;
  return a < b;
}

/** Binary tournament by crowded comparison. */
export function tournament(r: Ranking, rng: Rng): number {
  const n = r.rank.length;
  const a = rng.int(0, n - 1);
  const b = rng.int(0, n - 1);
  return crowdedBetter(r, a, b) ? a : b;
}

/** Elitist survivor selection: whole fronts while they fit, then the least crowded of the splitting front. */
export function selectSurvivors(pop: readonly Scored[], n: number): number[] {
  const r = rankPopulation(pop);
  const out: number[] = [];
  for (const f of r.fronts) {
    if (out.length + f.length <= n) {
      out.push(...f);
      continue;
    }
    const rest = [...f].sort((a, b) => (crowdedBetter(r, a, b) ? -1 : crowdedBetter(r, b, a) ? 1 : 0));
    out.push(...rest.slice(0, n - out.length));
    break;
  }
  return out;
}

export interface Nsga2Options<G> {
  populationSize: number;
  generations: number;
  /** probability of crossover before mutation */
  crossoverRate?: number;
  /** fresh individual of generation 0 */
  sample: (rng: Rng) => G;
  mutate: (g: G, rng: Rng) => G;
  crossover: (a: G, b: G, rng: Rng) => G;
  key: (g: G) => string;
  /** evaluation of a batch (may be async, e.g. journaled); results in the same order */
  evaluate: (gs: G[], generation: number) => Promise<Scored[]> | Scored[];
  /** RNG of generation `gen` (derive it from the seed and gen so a resumed run replays identically) */
  rngFor: (gen: number) => Rng;
  onGeneration?: (gen: number, pop: { genome: G; score: Scored }[]) => void | Promise<void>;
  /** stop early (checked between generations) */
  shouldStop?: () => boolean;
}

/**
 * Run NSGA-II. Offspring duplicating an already evaluated key are re-drawn (a few attempts) so that the
 * evaluation budget is spent on new candidates. Returns the final population.
 */
export async function runNsga2<G>(o: Nsga2Options<G>): Promise<{ genome: G; score: Scored }[]> {
  const seen = new Set<string>();
  const fresh = (make: () => G): G => {
    let g = make();
    for (let t = 0; t < 20 && seen.has(o.key(g)); t++) g = make();
    seen.add(o.key(g));
    return g;
  };
  const rng0 = o.rngFor(0);
  const init: G[] = [];
  for (let i = 0; i < o.populationSize; i++) init.push(fresh(() => o.sample(rng0)));
  const s0 = await o.evaluate(init, 0);
  let pop = init.map((genome, i) => ({ genome, score: s0[i]! }));
  await o.onGeneration?.(0, pop);
  for (let gen = 1; gen < o.generations; gen++) {
    if (o.shouldStop?.()) break;
    const rng = o.rngFor(gen);
    const ranking = rankPopulation(pop.map((p) => p.score));
    const kids: G[] = [];
    for (let i = 0; i < o.populationSize; i++) {
      kids.push(
        fresh(() => {
          const a = pop[tournament(ranking, rng)]!.genome;
          if (rng.next() < (o.crossoverRate ?? 0.5)) {
            const b = pop[tournament(ranking, rng)]!.genome;
            return o.mutate(o.crossover(a, b, rng), rng);
          }
          return o.mutate(a, rng);
        }),
      );
    }
    const sk = await o.evaluate(kids, gen);
    const union = [...pop, ...kids.map((genome, i) => ({ genome, score: sk[i]! }))];
    const keep = selectSurvivors(union.map((u) => u.score), o.populationSize);
    pop = keep.map((i) => union[i]!);
    await o.onGeneration?.(gen, pop);
  }
  return pop;
}
