/**
 * Pareto dominance helpers (pure). Objectives are MINIMISED; negate a quantity to maximise it.
 * Constraint handling follows Deb's constrained-domination rule (Deb et al., "A fast and elitist
 * multiobjective genetic algorithm: NSGA-II", IEEE TEC 2002, section VI): a feasible point dominates an
 * infeasible one, of two infeasible points the one with the smaller total violation dominates, and two
 * feasible points compare by ordinary Pareto dominance.
 */

export interface Scored {
  /** objective values, all minimised */
  objectives: readonly number[];
  /** total constraint violation, 0 = feasible */
  violation: number;
}

/** a dominates b in the Pareto sense (no worse in all objectives, better in one). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) better = true;
  }
  return better;
}

/** Deb's constrained domination. */
export function constrainedDominates(a: Scored, b: Scored): boolean {
  const fa = a.violation <= 0;
  const fb = b.violation <= 0;
  if (fa && !fb) return true;
  if (!fa && fb) return false;
  if (!fa && !fb) return a.violation < b.violation;
  return dominates(a.objectives, b.objectives);
}

/** Indices of the non-dominated feasible points (ties on all objectives: the first one is kept). */
export function paretoFrontIndices(points: readonly Scored[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (p.violation > 0) continue;
    let dominated = false;
    for (let j = 0; j < points.length && !dominated; j++) {
      if (j === i) continue;
      const q = points[j]!;
      if (q.violation > 0) continue;
      if (dominates(q.objectives, p.objectives)) dominated = true;
      else if (j < i && q.objectives.every((v, k) => v === p.objectives[k])) dominated = true;
    }
    if (!dominated) out.push(i);
  }
  return out;
}
