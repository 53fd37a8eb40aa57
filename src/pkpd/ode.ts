/**
 * Dormand–Prince RK5(4) (FSAL, local extrapolation) with standard error-per-step control: a general-purpose
 * integrator for small ODE systems, used here as the independent reference that checks the
 * closed-form PK and the exponential PD integrator.
 */
export type OdeRhs = (t: number, y: Float64Array, dydt: Float64Array) => void;

export interface OdeOptions {
  rtol?: number;
  atol?: number;
  /** Largest step (h). */
  maxStep?: number;
  /** First trial step (h). */
  initialStep?: number;
  maxSteps?: number;
}

export interface OdeStats {
  accepted: number;
  rejected: number;
}

const C2 = 1 / 5;
const C3 = 3 / 10;
const C4 = 4 / 5;
const C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40;
const A32 = 9 / 40;
const A41 = 44 / 45;
const A42 = -56 / 15;
const A43 = 32 / 9;
const A51 = 19372 / 6561;
const A52 = -25360 / 2187;
const A53 = 64448 / 6561;
const A54 = -212 / 729;
const A61 = 9017 / 3168;
const A62 = -355 / 33;
const A63 = 46732 / 5247;
const A64 = 49 / 176;
const A65 = -5103 / 18656;
const B1 = 35 / 384;
const B3 = 500 / 1113;
const B4 = 125 / 192;
const B5 = -2187 / 6784;
const B6 = 11 / 84;
// Error coefficients: 5th-order minus embedded 4th-order weights.
const E1 = 71 / 57600;
const E3 = -71 / 16695;
const E4 = 71 / 1920;
const E5 = -17253 / 339200;
const E6 = 22 / 525;
const E7 = -1 / 40;

/**
 * Integrates y' = f(t, y) from t0 to t1 (t1 > t0), returning y(t1); `y0` is not modified.
 * Steps land exactly on t1.
 */
export function integrateDopri(
  f: OdeRhs,
  t0: number,
  y0: ArrayLike<number>,
  t1: number,
  options: OdeOptions = {},
  stats?: OdeStats,
): Float64Array {
  const n = y0.length;
  const rtol = options.rtol ?? 1e-8;
  const atol = options.atol ?? 1e-10;
  const maxStep = options.maxStep ?? Math.abs(t1 - t0);
  const maxSteps = options.maxSteps ?? 1_000_000;
  const y = Float64Array.from(y0);
  if (t1 === t0) return y;
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const k5 = new Float64Array(n);
  const k6 = new Float64Array(n);
  const k7 = new Float64Array(n);
  const tmp = new Float64Array(n);
  const yNew = new Float64Array(n);
  let t = t0;
  f(t, y, k1);
  let h = Math.min(options.initialStep ?? initialStep(y, k1, rtol, atol, t1 - t0), maxStep);
  let steps = 0;
  while (t < t1) {
    if (++steps > maxSteps) throw new Error(`ODE integration needed more than ${maxSteps} steps; loosen the tolerances.`);
    let last = false;
    if (t + h >= t1) {
      h = t1 - t;
      last = true;
    }
    for (let i = 0; i < n; i++) tmp[i] = y[i] + h * A21 * k1[i];
    f(t + C2 * h, tmp, k2);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
    f(t + C3 * h, tmp, k3);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
    f(t + C4 * h, tmp, k4);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
    f(t + C5 * h, tmp, k5);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
    f(t + h, tmp, k6);
    for (let i = 0; i < n; i++) yNew[i] = y[i] + h * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
    f(t + h, yNew, k7);
    let err = 0;
    for (let i = 0; i < n; i++) {
      const e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
      const sc = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
      err += (e / sc) ** 2;
    }
    err = Math.sqrt(err / n);
    if (err <= 1) {
      t = last ? t1 : t + h;
      y.set(yNew);
      k1.set(k7);
      if (stats) stats.accepted++;
      const factor = err === 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * err ** -0.2));
      h = Math.min(maxStep, h * factor);
    } else {
      if (stats) stats.rejected++;
      const factor = Number.isFinite(err) ? Math.max(0.1, 0.9 * err ** -0.2) : 0.1;
      h *= factor;
      if (h < 1e-14 * Math.max(1, Math.abs(t)))
        throw new Error('ODE step size underflow; the system may be too stiff for this integrator.');
    }
  }
  return y;
}

function initialStep(y: Float64Array, dy: Float64Array, rtol: number, atol: number, span: number): number {
  let d0 = 0;
  let d1 = 0;
  for (let i = 0; i < y.length; i++) {
    const sc = atol + rtol * Math.abs(y[i]);
    d0 += (y[i] / sc) ** 2;
    d1 += (dy[i] / sc) ** 2;
  }
  d0 = Math.sqrt(d0 / y.length);
  d1 = Math.sqrt(d1 / y.length);
  const h = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
  return Math.min(h, Math.abs(span));
}

/**
 * Integrates through a sequence of output times, returning y at each (times ascending, ≥ t0).
 * `events` may add impulses at given times (e.g. doses into a depot): they are applied after the
 * state at that time is recorded, so an output at an event time sees the state just before it.
 */
export function integrateWithEvents(
  f: OdeRhs,
  t0: number,
  y0: ArrayLike<number>,
  outputTimes: readonly number[],
  events: readonly { time: number; apply: (y: Float64Array) => void }[],
  options: OdeOptions = {},
): Float64Array[] {
  const stops = [...new Set([...outputTimes, ...events.map((e) => e.time)])].filter((t) => t >= t0).sort((a, b) => a - b);
  const outputs = new Map<number, Float64Array>();
  let y: Float64Array = Float64Array.from(y0);
  let t = t0;
  for (const stop of stops) {
    y = integrateDopri(f, t, y, stop, options);
    t = stop;
    outputs.set(stop, Float64Array.from(y));
    for (const e of events) if (e.time === stop) e.apply(y);
  }
  return outputTimes.map((time) => {
    const got = outputs.get(time);
    if (!got) throw new Error(`output time ${time} is before the start ${t0}`);
    return got;
  });
}
