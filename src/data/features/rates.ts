/**
 * Rate estimators for the superposition features, from per-subject PK histories.
 *
 * Elimination rate k (terminal slope): for every subject with doses, take its PK observations at
 * least `minHoursAfterLastDose` after its last dose (DV > 0). After absorption and distribution
 * have finished, every past dose decays as e^{−k t}, so ln C = a_i − k·t on those points. k is the
 * pooled within-subject least-squares slope (common slope, one intercept per subject):
 *   k = −Σ_i Σ (t − t̄_i)(y − ȳ_i) / Σ_i Σ (t − t̄_i)²,  y = ln C,
 * over subjects with at least `minPoints` points. The median of per-subject slopes is reported too.
 *
 * PK shape (given k): absorption ka, a fast disposition rate α and its weight ρ, by profile least
 * squares on ln C with one intercept per subject (see estimatePkShape). With the terminal rate
 * fixed at k, accumulation is governed by the terminal slope while the within-interval shape
 * (rise over the first hours, distribution phase) comes from ka, α, ρ. An absorption-only fit
 * (ρ = 0) is not enough on EstData: its early decline is a distribution phase, and ka then runs
 * off to the end of any search range.
 */
import type { EliminationRateFit, PkShape, PkShapeFit, TerminalPhaseOptions } from './spec';
import { DEFAULT_TERMINAL_PHASE } from './spec';

/** One subject's doses (ascending times) and PK observations (ascending times). */
export interface PkHistory {
  doseTimes: ArrayLike<number>;
  doseAmounts: ArrayLike<number>;
  obsTimes: ArrayLike<number>;
  obsValues: ArrayLike<number>;
}

export function estimateEliminationRate(
  histories: readonly PkHistory[],
  options: Partial<TerminalPhaseOptions> = {},
): EliminationRateFit | null {
  const { minHoursAfterLastDose, minPoints } = { ...DEFAULT_TERMINAL_PHASE, ...options };
  let sxy = 0;
  let sxx = 0;
  let subjects = 0;
  let points = 0;
  const slopes: number[] = [];
  for (const h of histories) {
    let lastDose = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < h.doseTimes.length; j++) {
      if (h.doseAmounts[j] > 0 && h.doseTimes[j] > lastDose) lastDose = h.doseTimes[j];
    }
    if (lastDose === Number.NEGATIVE_INFINITY) continue;
    const ts: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < h.obsTimes.length; i++) {
      const c = h.obsValues[i];
      if (h.obsTimes[i] - lastDose >= minHoursAfterLastDose && c > 0 && Number.isFinite(c)) {
        ts.push(h.obsTimes[i]);
        ys.push(Math.log(c));
      }
    }
    if (ts.length < Math.max(2, minPoints)) continue;
    const tm = mean(ts);
    const ym = mean(ys);
    let a = 0;
    let b = 0;
    for (let i = 0; i < ts.length; i++) {
      a += (ts[i] - tm) * (ys[i] - ym);
      b += (ts[i] - tm) ** 2;
    }
    if (b === 0) continue;
    sxy += a;
    sxx += b;
    slopes.push(-a / b);
    subjects++;
    points += ts.length;
  }
  if (subjects === 0 || sxx === 0) return null;
  const k = -sxy / sxx;
  if (!(k > 0)) return null;
  return { k, halfLifeH: Math.LN2 / k, subjects, points, medianSubjectK: median(slopes) };
}

/**
 * Superposition of the PK shape over the doses strictly before each time (ascending times and
 * doses): Σ_j A_j·g(t − t_j) with
 *   g(Δ) = (1 − ρ)·ka/(ka − k)·(e^{−kΔ} − e^{−kaΔ}) + ρ·ka/(ka − α)·(e^{−αΔ} − e^{−kaΔ}),
 * by running sums (one pass over the doses). ρ = 0 is the one-compartment oral model; every
 * two-compartment oral model is this shape up to a constant factor. g(0) = 0, so the dose-time
 * convention does not matter. ka must differ from k and α.
 */
export function shapeSuperposition(
  doseTimes: ArrayLike<number>,
  doseAmounts: ArrayLike<number>,
  times: ArrayLike<number>,
  k: number,
  shape: PkShape,
  out = new Float64Array(times.length),
): Float64Array {
  const { ka, alpha, rho } = shape;
  const cK = ((1 - rho) * ka) / (ka - k);
  const cA = (rho * ka) / (ka - alpha);
  let sK = 0;
  let sA = 0;
  let sKa = 0;
  let r = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (i > 0 && t < times[i - 1]) throw new Error('shapeSuperposition: times must ascend');
    while (r < doseTimes.length && doseTimes[r] < t) {
      const gap = r > 0 ? doseTimes[r] - doseTimes[r - 1] : 0;
      const a = doseAmounts[r] > 0 ? doseAmounts[r] : 0;
      sK = sK * Math.exp(-k * gap) + a;
      sA = sA * Math.exp(-alpha * gap) + a;
      sKa = sKa * Math.exp(-ka * gap) + a;
      r++;
    }
    if (r === 0) {
      out[i] = 0;
      continue;
    }
    const d = t - doseTimes[r - 1];
    const eKa = sKa * Math.exp(-ka * d);
    out[i] = Math.max(0, cK * (sK * Math.exp(-k * d) - eKa) + cA * (sA * Math.exp(-alpha * d) - eKa));
  }
  return out;
}

export interface PkShapeFitOptions {
  /** At most this many subjects are used (evenly spaced), to bound the cost on large files. Default 400. */
  maxSubjects?: number;
  /** Nelder–Mead evaluations per start. Default 400. */
  maxEvaluations?: number;
}

/**
 * Fits the PK shape (ka, α, ρ) with k fixed, by profile least squares on ln C: one free intercept
 * per subject (absorbing dose scale, V, F, body size), residual SS minimised by Nelder–Mead in
 * (ln ka, ln(α/k − 1.5), logit ρ) from the best few points of a coarse grid. Uses every positive PK
 * observation after a subject's first dose. Null when fewer than 5 points are usable.
 */
export function estimatePkShape(histories: readonly PkHistory[], k: number, options: PkShapeFitOptions = {}): PkShapeFit | null {
  const maxSubjects = options.maxSubjects ?? 400;
  const maxEvaluations = options.maxEvaluations ?? 400;
  let used = histories.filter((h) => h.obsTimes.length > 0 && h.doseTimes.length > 0);
  if (used.length > maxSubjects) {
    const step = used.length / maxSubjects;
    used = Array.from({ length: maxSubjects }, (_, i) => used[Math.floor(i * step)]);
  }
  const buffers = used.map((h) => new Float64Array(h.obsTimes.length));
  const logC = used.map((h) =>
    Float64Array.from({ length: h.obsTimes.length }, (_, i) =>
      h.obsValues[i] > 0 && Number.isFinite(h.obsValues[i]) ? Math.log(h.obsValues[i]) : Number.NaN,
    ),
  );
  let points = 0;
  const decode = (x: readonly number[]): PkShape => ({
    ka: Math.exp(x[0]),
    alpha: k * (1.5 + Math.exp(x[1])),
    rho: 1 / (1 + Math.exp(-x[2])),
  });
  const cost = (x: readonly number[]): number => {
    const shape = decode(x);
    if (
      !(shape.ka > 1e-4 && shape.ka < 1e3) ||
      Math.abs(shape.ka - shape.alpha) < 1e-3 * shape.ka ||
      Math.abs(shape.ka - k) < 1e-3 * shape.ka
    ) {
      return Number.POSITIVE_INFINITY;
    }
    let ss = 0;
    points = 0;
    used.forEach((h, s) => {
      const b = shapeSuperposition(h.doseTimes, h.doseAmounts, h.obsTimes, k, shape, buffers[s]);
      const y = logC[s];
      let sum = 0;
      let sum2 = 0;
      let count = 0;
      for (let i = 0; i < b.length; i++) {
        if (!(b[i] > 0) || Number.isNaN(y[i])) continue;
        const res = y[i] - Math.log(b[i]);
        sum += res;
        sum2 += res * res;
        count++;
      }
      if (count > 0) {
        ss += sum2 - (sum * sum) / count;
        points += count;
      }
    });
    return ss;
  };
  const starts: { x: number[]; f: number }[] = [];
  for (const ka of [0.2, 0.7, 2, 6]) {
    for (const ratio of [3, 10, 40]) {
      for (const rho of [0.2, 0.5, 0.8]) {
        const x = [Math.log(ka), Math.log(ratio - 1.5), Math.log(rho / (1 - rho))];
        starts.push({ x, f: cost(x) });
      }
    }
  }
  if (points < 5) return null;
  starts.sort((a, b) => a.f - b.f);
  let best = starts[0];
  for (const start of starts.slice(0, 3)) {
    const result = nelderMead(cost, start.x, maxEvaluations);
    if (result.f < best.f) best = result;
  }
  const finalCost = cost(best.x);
  const dof = Math.max(1, points - used.length - 3);
  return { ...decode(best.x), residualSd: Math.sqrt(Math.max(0, finalCost) / dof), points, subjects: used.length };
}

/** Plain Nelder–Mead minimiser (standard coefficients), for a handful of parameters. */
export function nelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  maxEvaluations: number,
  initialStep = 0.5,
): { x: number[]; f: number } {
  const n = x0.length;
  const simplex: { x: number[]; f: number }[] = [{ x: [...x0], f: f(x0) }];
  for (let i = 0; i < n; i++) {
    const x = [...x0];
    x[i] += initialStep;
    simplex.push({ x, f: f(x) });
  }
  let evaluations = n + 1;
  const combine = (a: readonly number[], b: readonly number[], t: number): number[] => a.map((ai, i) => ai + t * (b[i] - ai));
  while (evaluations < maxEvaluations) {
    simplex.sort((a, b) => a.f - b.f);
    const bestF = simplex[0].f;
    const worst = simplex[n];
    if (Math.abs(worst.f - bestF) <= 1e-12 * (1 + Math.abs(bestF))) {
      let spread = 0;
      for (const p of simplex) for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(p.x[i] - simplex[0].x[i]));
      if (spread < 1e-8) break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) centroid[i] += simplex[j].x[i] / n;
    const reflected = combine(centroid, worst.x, -1);
    const fr = f(reflected);
    evaluations++;
    if (fr < simplex[0].f) {
      const expanded = combine(centroid, worst.x, -2);
      const fe = f(expanded);
      evaluations++;
      simplex[n] = fe < fr ? { x: expanded, f: fe } : { x: reflected, f: fr };
    } else if (fr < simplex[n - 1].f) {
      simplex[n] = { x: reflected, f: fr };
    } else {
      const outside = fr < worst.f;
      const contracted = combine(centroid, outside ? reflected : worst.x, 0.5);
      const fc = f(contracted);
      evaluations++;
      if (fc < (outside ? fr : worst.f)) simplex[n] = { x: contracted, f: fc };
      else {
        for (let j = 1; j <= n; j++) {
          const x = combine(simplex[0].x, simplex[j].x, 0.5);
          simplex[j] = { x, f: f(x) };
          evaluations++;
        }
      }
    }
  }
  simplex.sort((a, b) => a.f - b.f);
  return simplex[0];
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

export function median(xs: readonly number[]): number {
  const v = xs.filter((x) => !Number.isNaN(x)).sort((p, q) => p - q);
  if (v.length === 0) return Number.NaN;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
