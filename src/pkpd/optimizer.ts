/**
 * Quasi-Newton minimisation (BFGS on the inverse Hessian) with a backtracking Armijo line search,
 * a step cap, restarts when the update loses descent, and finite-difference gradients. Written for
 * smooth objectives of a few to a few dozen parameters whose evaluation may fail (returns a
 * non-finite value): failed trial points are treated as too long a step.
 *
 * The BFGS, the forward-difference gradient and the finite-difference Hessian are each written once,
 * as generators that yield what they need evaluated (`bfgsSteps`: a value, a gradient, an accepted
 * point; `forwardGradientSteps`, `hessianSteps`: a batch of points whose values may be computed in any
 * order, or in parallel) and receive the answers. `minimizeBfgs`, `forwardGradient` and
 * `finiteDifferenceHessian` drive them synchronously (`runSteps`); an asynchronous driver
 * (`runStepsAsync`) lets a population fit answer them from a pool of workers (../pkpd/foce.ts).
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

/** What `bfgsSteps` asks: the objective at x, the gradient at an accepted x (value fx), or the news that x was accepted. */
export type BfgsRequest =
  | { readonly kind: 'value'; readonly x: Float64Array }
  | { readonly kind: 'gradient'; readonly x: Float64Array; readonly fx: number }
  | { readonly kind: 'accept'; readonly x: Float64Array };

/** The answer to a BfgsRequest: the value, the gradient, or nothing (accept). */
export type BfgsAnswer = number | Float64Array | undefined;

/** A computation written as a generator of requests (Q) that receive answers (A) and return R. */
export type Steps<Q, A, R> = Generator<Q, R, A>;

/** Runs `steps` to its end, answering each request synchronously. */
export function runSteps<Q, A, R>(steps: Steps<Q, A, R>, answer: (request: Q) => A): R {
  let next = steps.next();
  while (!next.done) next = steps.next(answer(next.value));
  return next.value;
}

/** `steps` with each request mapped by `map` (e.g. to say which objective it is of); answers pass through. */
export function* mapRequests<Q, P, A, R>(steps: Steps<Q, A, R>, map: (request: Q) => P): Steps<P, A, R> {
  let next = steps.next();
  while (!next.done) next = steps.next(yield map(next.value));
  return next.value;
}

/** Runs `steps` to its end, awaiting each answer; an answer's rejection is thrown into the steps. */
export async function runStepsAsync<Q, A, R>(steps: Steps<Q, A, R>, answer: (request: Q) => Promise<A>): Promise<R> {
  let next = steps.next();
  while (!next.done) {
    let value: A;
    try {
      value = await answer(next.value);
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(value);
  }
  return next.value;
}

/** The values of a batch of points (`points.map(f)`), the synchronous answer to the batch generators below. */
const valuesOf =
  (f: (x: Float64Array) => number) =>
  (points: readonly Float64Array[]): number[] =>
    points.map(f);

/**
 * Forward-difference gradient with steps h·max(1, |x_j|): one batch of the forward probes, then one of
 * backward probes for the coordinates whose forward probe was not finite.
 */
export function* forwardGradientSteps(x: Float64Array, fx: number, h = 1e-5): Steps<Float64Array[], readonly number[], Float64Array> {
  const n = x.length;
  const steps = Array.from(x, (v) => h * Math.max(1, Math.abs(v)));
  const probe = (j: number, sign: number): Float64Array => {
    const p = Float64Array.from(x);
    p[j] = sign > 0 ? x[j] + steps[j] : x[j] - steps[j];
    return p;
  };
  const forward = yield Array.from({ length: n }, (_, j) => probe(j, 1));
  const g = new Float64Array(n);
  const back: number[] = [];
  for (let j = 0; j < n; j++) {
    if (Number.isFinite(forward[j])) g[j] = (forward[j] - fx) / steps[j];
    else back.push(j);
  }
  if (back.length > 0) {
    const backward = yield back.map((j) => probe(j, -1));
    back.forEach((j, b) => (g[j] = (fx - backward[b]) / steps[j]));
  }
  return g;
}

/** Forward-difference gradient with steps h·max(1, |x_j|) (`forwardGradientSteps` answered by f). */
export function forwardGradient(f: (x: Float64Array) => number, x: Float64Array, fx: number, h = 1e-5): Float64Array {
  return runSteps(forwardGradientSteps(x, fx, h), valuesOf(f));
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

/** BFGS minimisation (see the header), answered synchronously by `objective`. */
export function minimizeBfgs(objective: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  return runSteps(bfgsSteps(x0, options), (request) => {
    if (request.kind === 'value') return objective.value(request.x);
    if (request.kind === 'gradient') return objective.gradient(request.x, request.fx);
    objective.accept?.(request.x);
    return undefined;
  });
}

/** The BFGS as steps: it yields the values, gradients and accepted points it needs (see BfgsRequest). */
export function* bfgsSteps(x0: ArrayLike<number>, options: MinimizeOptions = {}): Steps<BfgsRequest, BfgsAnswer, MinimizeResult> {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 200;
  const fTolerance = options.fTolerance ?? 1e-5;
  const maxStep = options.maxStep ?? 1;
  let x = Float64Array.from(x0);
  let f = (yield { kind: 'value', x }) as number;
  if (!Number.isFinite(f)) return { x, f, iterations: 0, converged: false, message: 'the objective is not finite at the starting values' };
  yield { kind: 'accept', x };
  let g = (yield { kind: 'gradient', x, fx: f }) as Float64Array;
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
      fNew = (yield { kind: 'value', x: xNew }) as number;
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
    yield { kind: 'accept', x: xNew };
    const gNew = (yield { kind: 'gradient', x: xNew, fx: fNew }) as Float64Array;
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

/** Hessian by central second differences (2n² evaluations), steps h·max(1, |x_j|): `hessianSteps` answered by f. */
export function finiteDifferenceHessian(f: (x: Float64Array) => number, x: ArrayLike<number>, fx: number, h = 1e-3): Float64Array {
  return runSteps(hessianSteps(x, fx, h), valuesOf(f));
}

/** The central second differences as one batch of points (2n², independent of each other), then the Hessian. */
export function* hessianSteps(x: ArrayLike<number>, fx: number, h = 1e-3): Steps<Float64Array[], readonly number[], Float64Array> {
  const n = x.length;
  const steps = Array.from(x, (v) => h * Math.max(1, Math.abs(v)));
  const points: Float64Array[] = [];
  const at = (i: number, si: number, j: number, sj: number): number => {
    const p = Float64Array.from(x);
    p[i] += si * steps[i];
    p[j] += sj * steps[j];
    return points.push(p) - 1;
  };
  const diagonal: [number, number][] = [];
  const off: [number, number, number, number][][] = [];
  for (let i = 0; i < n; i++) {
    diagonal.push([at(i, 1, i, 0), at(i, -1, i, 0)]);
    off.push([]);
    for (let j = 0; j < i; j++) off[i].push([at(i, 1, j, 1), at(i, 1, j, -1), at(i, -1, j, 1), at(i, -1, j, -1)]);
  }
  const v = yield points;
  const hess = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const [p, m] = diagonal[i];
    hess[i * n + i] = (v[p] - 2 * fx + v[m]) / (steps[i] * steps[i]);
    for (let j = 0; j < i; j++) {
      const [pp, pm, mp, mm] = off[i][j];
      const value = (v[pp] - v[pm] - v[mp] + v[mm]) / (4 * steps[i] * steps[j]);
      hess[i * n + j] = value;
      hess[j * n + i] = value;
    }
  }
  return hess;
}
