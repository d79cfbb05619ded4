/**
 * Rank statistics (pure). Kendall's tau-b (Kendall 1945, with the tie correction of tau-b):
 * tau_b = (C - D) / sqrt((n0 - n1)(n0 - n2)), n0 = n(n-1)/2, n1 / n2 = tied pairs in x / y.
 */
export function kendallTau(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new Error('kendallTau: length mismatch');
  let c = 0;
  let d = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = Math.sign(x[i]! - x[j]!);
      const b = Math.sign(y[i]! - y[j]!);
      if (a === 0 && b === 0) continue;
      if (a === 0) tx++;
      else if (b === 0) ty++;
      else if (a === b) c++;
      else d++;
    }
  }
  const denom = Math.sqrt((c + d + tx) * (c + d + ty));
  return denom === 0 ? 0 : (c - d) / denom;
}

/** Spearman-free helpers: mean and standard deviation (population). */
export function meanStd(xs: ArrayLike<number>): { mean: number; std: number } {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m += xs[i]!;
  m /= Math.max(xs.length, 1);
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - m) ** 2;
  return { mean: m, std: Math.sqrt(v / Math.max(xs.length, 1)) };
}
