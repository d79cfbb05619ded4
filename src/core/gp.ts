/**
 * Gaussian-process regression (Rasmussen & Williams 2006, ch. 2: Algorithm 2.1) with an ARD squared-exponential
 * kernel over standardised inputs and a linear mean fitted by ridge least squares; hyper-parameters picked from a
 * small deterministic grid by the log marginal likelihood. Pure and deterministic: the same rows give the same
 * model bit for bit. Sized for the co-search's few hundred rows (O(n^3) Cholesky).
 *
 * Used as the co-search's surrogate of FINAL accuracy (src/search/surrogate.ts): one input is the fidelity, so
 * results of a candidate at a low fidelity inform its prediction at the final one through the kernel.
 */

export interface GpHyper {
  /** length scale of every architecture input, in standard deviations */
  ell: number;
  /** length scale of the fidelity input (in its own units) */
  ellFidelity: number;
  /** signal variance of the residual, as a share of the residual variance after the mean */
  signal: number;
  /** noise variance, as a share of the residual variance */
  noise: number;
}

export interface GpModel {
  inputs: number;
  /** index of the fidelity input (its own length scale), or -1 */
  fidelityIndex: number;
  mean: number[];
  std: number[];
  /** linear mean: intercept + beta . z (z standardised) */
  beta: number[];
  hyper: GpHyper;
  residualVar: number;
  /** standardised training inputs */
  x: number[][];
  alpha: Float64Array;
  /** lower Cholesky factor of K + noise I (row-major n x n) */
  chol: Float64Array;
  logLik: number;
  /**
   * RMS of the leave-one-out standardised residuals (at least 1): how much wider than the posterior says a
   * prediction of a new measurement's error is (closed form, Rasmussen & Williams 2006, section 5.4.2)
   */
  looScale: number;
}

function standardise(rows: number[][]): { mean: number[]; std: number[] } {
  const d = rows[0]!.length;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) std[j]! += (r[j]! - mean[j]!) ** 2 / rows.length;
  // a constant column (up to rounding) is left unscaled
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]!) > 1e-9 * (Math.abs(mean[j]!) + 1) ? Math.sqrt(std[j]!) : 1;
  return { mean, std };
}

/** Solve the ridge-regularised normal equations for the linear mean (intercept unpenalised). */
function ridge(z: number[][], y: number[], lambda: number): number[] {
  const d = z[0]!.length + 1;
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let i = 0; i < z.length; i++) {
    const row = [1, ...z[i]!];
    for (let p = 0; p < d; p++) {
      b[p]! += row[p]! * y[i]!;
      for (let q = 0; q < d; q++) a[p * d + q]! += row[p]! * row[q]!;
    }
  }
  for (let p = 1; p < d; p++) a[p * d + p]! += lambda;
  const l = cholesky(a, d, 1e-9);
  return Array.from(cholSolve(l, d, b));
}

/** In-place-free Cholesky of a symmetric positive definite n x n matrix (adds `jitter` to the diagonal). */
export function cholesky(a: Float64Array, n: number, jitter = 0): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]! + (i === j ? jitter : 0);
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (s <= 0) throw new Error(`cholesky: matrix not positive definite at ${i} (${s})`);
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j]!;
    }
  }
  return l;
}

function forward(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

function backward(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

function cholSolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return backward(l, n, forward(l, n, b));
}

function kernel(a: number[], b: number[], h: GpHyper, fi: number, signalVar: number): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const e = j === fi ? h.ellFidelity : h.ell;
    const d = (a[j]! - b[j]!) / e;
    s += d * d;
  }
  return signalVar * Math.exp(-0.5 * s);
}

function linearMean(beta: number[], z: number[]): number {
  let m = beta[0]!;
  for (let j = 0; j < z.length; j++) m += beta[j + 1]! * z[j]!;
  return m;
}

function fitWith(x: number[][], r: number[], h: GpHyper, fi: number, residualVar: number): { alpha: Float64Array; chol: Float64Array; logLik: number } | null {
  const n = x.length;
  const sv = h.signal * residualVar;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) k[i * n + j] = k[j * n + i] = kernel(x[i]!, x[j]!, h, fi, sv) + (i === j ? h.noise * residualVar : 0);
  let chol: Float64Array;
  try {
    chol = cholesky(k, n, 1e-10 * residualVar);
  } catch {
    return null;
  }
  const alpha = cholSolve(chol, n, r);
  let quad = 0;
  let logDet = 0;
  for (let i = 0; i < n; i++) {
    quad += r[i]! * alpha[i]!;
    logDet += Math.log(chol[i * n + i]!);
  }
  return { alpha, chol, logLik: -0.5 * quad - logDet - 0.5 * n * Math.log(2 * Math.PI) };
}

/** Grid of hyper-parameters tried (deterministic order; the first best by marginal likelihood wins). */
export const GP_GRID: GpHyper[] = (() => {
  const out: GpHyper[] = [];
  for (const ell of [1, 2, 4]) for (const ellFidelity of [1, 3]) for (const signal of [0.5, 1]) for (const noise of [0.05, 0.2, 0.5]) out.push({ ell, ellFidelity, signal, noise });
  return out;
})();

/**
 * Fit a GP to rows x (raw features) and targets y. `fidelityIndex` names the input with its own length scale
 * (standardised like the others). `ridgeLambda` regularises the linear mean.
 */
export function fitGp(xRaw: number[][], y: number[], opts: { fidelityIndex?: number; ridgeLambda?: number; grid?: GpHyper[] } = {}): GpModel {
  if (xRaw.length === 0) throw new Error('fitGp: no rows');
  if (xRaw.length !== y.length) throw new Error('fitGp: rows and targets differ in length');
  const fi = opts.fidelityIndex ?? -1;
  const { mean, std } = standardise(xRaw);
  const x = xRaw.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!));
  // a linear mean over ~20 inputs needs strong shrinkage while rows are few
  const beta = ridge(x, y, opts.ridgeLambda ?? 10 + x.length / 10);
  const r = y.map((v, i) => v - linearMean(beta, x[i]!));
  const residualVar = Math.max(r.reduce((s, v) => s + v * v, 0) / r.length, 1e-8);
  let best: (ReturnType<typeof fitWith> & { h: GpHyper }) | null = null;
  for (const h of opts.grid ?? GP_GRID) {
    const f = fitWith(x, r, h, fi, residualVar);
    if (f && (!best || f.logLik > best.logLik + 1e-9)) best = { ...f, h };
  }
  if (!best) throw new Error('fitGp: no hyper-parameters gave a positive definite kernel');
  return { inputs: xRaw[0]!.length, fidelityIndex: fi, mean, std, beta, hyper: best.h, residualVar, x, alpha: best.alpha, chol: best.chol, logLik: best.logLik, looScale: looScale(best.chol, best.alpha, x.length) };
}

/**
 * Leave-one-out check of a fitted GP: with A = (K + noise I)^-1, the held-out residual of row i is alpha_i / A_ii and
 * its predictive variance 1 / A_ii, so its standardised residual is alpha_i / sqrt(A_ii); returns their RMS, >= 1.
 */
function looScale(chol: Float64Array, alpha: Float64Array, n: number): number {
  // diag(A) = column sums of squares of L^-1 (A = L^-T L^-1)
  const diag = new Float64Array(n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = forward(chol, n, e); // column j of L^-1 (zero above row j)
    for (let i = j; i < n; i++) diag[j]! += col[i]! * col[i]!;
  }
  let z2 = 0;
  for (let i = 0; i < n; i++) z2 += (alpha[i]! * alpha[i]!) / diag[i]!;
  const s = Math.sqrt(z2 / n);
  return s > 1 ? s : 1;
}

/** Variance of the observation noise of a fitted GP (what a measurement adds to the latent function's variance). */
export function noiseVariance(m: GpModel): number {
  return m.hyper.noise * m.residualVar;
}

/** Std of a new measurement at a point whose latent posterior std is `latentStd`: (latent + noise), LOO-calibrated. */
export function measurementStd(m: GpModel, latentStd: number): number {
  return m.looScale * Math.sqrt(latentStd * latentStd + noiseVariance(m));
}

/** Posterior mean and standard deviation (of the latent function, noise excluded) at raw input rows. */
export function predictGp(m: GpModel, rows: number[][]): { mean: Float64Array; std: Float64Array } {
  const n = m.x.length;
  const mu = new Float64Array(rows.length);
  const sd = new Float64Array(rows.length);
  const sv = m.hyper.signal * m.residualVar;
  const ks = new Float64Array(n);
  for (let t = 0; t < rows.length; t++) {
    const z = rows[t]!.map((v, j) => (v - m.mean[j]!) / m.std[j]!);
    let f = linearMean(m.beta, z);
    for (let i = 0; i < n; i++) {
      ks[i] = kernel(z, m.x[i]!, m.hyper, m.fidelityIndex, sv);
      f += ks[i]! * m.alpha[i]!;
    }
    const v = forward(m.chol, n, ks);
    let vv = 0;
    for (let i = 0; i < n; i++) vv += v[i]! * v[i]!;
    mu[t] = f;
    sd[t] = Math.sqrt(Math.max(sv - vv, 0));
  }
  return { mean: mu, std: sd };
}
