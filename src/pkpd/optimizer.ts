/**
 * Quasi-Newton minimisation (BFGS on the inverse Hessian) with a backtracking Armijo line search,
 * a step cap, restarts when the update loses descent, and finite-difference gradients. Written for
 * smooth objectives of a few to a few dozen parameters whose evaluation may fail (returns a
 * non-finite value): failed trial points are treated as too long a step.
 */
export interface MinimizeOptions {
  maxIterations?: number;
  /** Stop when an iteration lowers the objective by less than this (absolute) twice in a row. */
  fTolerance?: number;
  /** Largest step in any coordinate per iteration. */
  maxStep?: number;
  /** Called after each accepted step. */
  onIteration?: (iteration: number, x: Float64Array, f: number) => void;
}

export interface MinimizeResult {
  x: Float64Array;
  f: number;
  iterations: number;
  converged: boolean;
  message: string;
}

export interface Objective {
  /** Objective at a trial point (may be non-finite where undefined). */
  value(x: Float64Array): number;
  /** Gradient at an accepted point with value fx. */
  gradient(x: Float64Array, fx: number): Float64Array;
  /** The line search accepted x (whose value was the last computed). */
  accept?(x: Float64Array): void;
}

/** Forward-difference gradient with steps h·max(1, |x_j|). */
export function forwardGradient(f: (x: Float64Array) => number, x: Float64Array, fx: number, h = 1e-5): Float64Array {
  const g = new Float64Array(x.length);
  const probe = Float64Array.from(x);
  for (let j = 0; j < x.length; j++) {
    const step = h * Math.max(1, Math.abs(x[j]));
    probe[j] = x[j] + step;
    const fp = f(probe);
    probe[j] = x[j];
    if (Number.isFinite(fp)) {
      g[j] = (fp - fx) / step;
    } else {
      probe[j] = x[j] - step;
      g[j] = (fx - f(probe)) / step;
      probe[j] = x[j];
    }
  }
  return g;
}

/** Central-difference gradient. */
export function centralGradient(f: (x: Float64Array) => number, x: Float64Array, h = 1e-4): Float64Array {
  const g = new Float64Array(x.length);
  const probe = Float64Array.from(x);
  for (let j = 0; j < x.length; j++) {
    const step = h * Math.max(1, Math.abs(x[j]));
    probe[j] = x[j] + step;
    const fp = f(probe);
    probe[j] = x[j] - step;
    const fm = f(probe);
    probe[j] = x[j];
    g[j] = (fp - fm) / (2 * step);
  }
  return g;
}

export function minimizeBfgs(objective: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 200;
  const fTolerance = options.fTolerance ?? 1e-5;
  const maxStep = options.maxStep ?? 1;
  let x = Float64Array.from(x0);
  let f = objective.value(x);
  if (!Number.isFinite(f)) return { x, f, iterations: 0, converged: false, message: 'the objective is not finite at the starting values' };
  objective.accept?.(x);
  let g = objective.gradient(x, f);
  const hInv = new Float64Array(n * n);
  const resetH = (scale: number): void => {
    hInv.fill(0);
    for (let i = 0; i < n; i++) hInv[i * n + i] = scale;
  };
  const gNorm = Math.max(...Array.from(g, Math.abs), 1e-12);
  resetH(Math.min(1, 0.1 / gNorm) || 1e-3);
  let fresh = true;
  let smallSteps = 0;
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s -= hInv[i * n + j] * g[j];
      d[i] = s;
      slope += s * g[i];
    }
    if (!(slope < 0)) {
      resetH(Math.min(1, 0.1 / Math.max(...Array.from(g, Math.abs), 1e-12)));
      fresh = true;
      slope = 0;
      for (let i = 0; i < n; i++) {
        d[i] = -hInv[i * n + i] * g[i];
        slope += d[i] * g[i];
      }
      if (!(slope < 0)) return { x, f, iterations: iteration - 1, converged: true, message: 'zero gradient' };
    }
    let longest = 0;
    for (let i = 0; i < n; i++) longest = Math.max(longest, Math.abs(d[i]));
    if (longest > maxStep) {
      const shrink = maxStep / longest;
      for (let i = 0; i < n; i++) d[i] *= shrink;
      slope *= shrink;
    }
    let alpha = 1;
    let fNew = NaN;
    let found = false;
    for (let trial = 0; trial < 40; trial++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + alpha * d[i];
      fNew = objective.value(xNew);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * alpha * slope) {
        found = true;
        break;
      }
      // Quadratic interpolation of the backtrack, kept within [0.1, 0.5] of the current step.
      let next = 0.5;
      if (Number.isFinite(fNew)) {
        const q = (-slope * alpha) / (2 * (fNew - f - slope * alpha));
        if (q > 0) next = Math.min(0.5, Math.max(0.1, q));
      }
      alpha *= next;
    }
    if (!found) {
      if (!fresh) {
        resetH(Math.min(1, 0.1 / Math.max(...Array.from(g, Math.abs), 1e-12)));
        fresh = true;
        iteration--;
        continue;
      }
      return { x, f, iterations: iteration - 1, converged: false, message: 'line search failed to lower the objective' };
    }
    objective.accept?.(xNew);
    const gNew = objective.gradient(xNew, fNew);
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    let yy = 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
      ss += s[i] * s[i];
    }
    if (sy > 1e-10 * Math.sqrt(ss * yy)) {
      if (fresh) resetH(sy / yy);
      fresh = false;
      const hy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let j = 0; j < n; j++) acc += hInv[i * n + j] * y[j];
        hy[i] = acc;
      }
      let yhy = 0;
      for (let i = 0; i < n; i++) yhy += y[i] * hy[i];
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          hInv[i * n + j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
      }
    }
    const decrease = f - fNew;
    x = Float64Array.from(xNew);
    f = fNew;
    g = gNew;
    options.onIteration?.(iteration, x, f);
    smallSteps = decrease < fTolerance ? smallSteps + 1 : 0;
    if (smallSteps >= 2) return { x, f, iterations: iteration, converged: true, message: 'objective change below tolerance' };
  }
  return { x, f, iterations: maxIterations, converged: false, message: 'iteration limit reached' };
}

/** Hessian by central second differences (2n² evaluations), steps h·max(1, |x_j|). */
export function finiteDifferenceHessian(f: (x: Float64Array) => number, x: ArrayLike<number>, fx: number, h = 1e-3): Float64Array {
  const n = x.length;
  const hess = new Float64Array(n * n);
  const steps = Array.from(x, (v) => h * Math.max(1, Math.abs(v)));
  const p = Float64Array.from(x);
  const at = (i: number, si: number, j: number, sj: number): number => {
    p[i] += si * steps[i];
    p[j] += sj * steps[j];
    const v = f(p);
    p[i] = x[i];
    p[j] = x[j];
    return v;
  };
  for (let i = 0; i < n; i++) {
    const fp = at(i, 1, i, 0);
    const fm = at(i, -1, i, 0);
    hess[i * n + i] = (fp - 2 * fx + fm) / (steps[i] * steps[i]);
    for (let j = 0; j < i; j++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * steps[i] * steps[j]);
      hess[i * n + j] = v;
      hess[j * n + i] = v;
    }
  }
  return hess;
}
