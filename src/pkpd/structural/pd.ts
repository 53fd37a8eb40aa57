/**
 * PD families of the structural engine, given the concentration C (or the effect-site Ce).
 *
 * Direct (and effect-compartment, with Ce in place of C), h = HILL (1 unless sigmoid):
 *   increase  E = E0 + EMAX · C^h / (EC50^h + C^h)
 *   decrease  E = E0 · (1 − IMAX · C^h / (IC50^h + C^h)).
 *
 * Indirect response, R(0) = BASE = kin / KOUT, D(C) = MAX · C^h / (C50^h + C^h) (MAX, C50 = IMAX,
 * IC50 for the inhibiting types and EMAX, EC50 for the stimulating ones; h = HILL with
 * structural-model.ts's `sigmoidIndirect` option, else 1):
 *   inhibit-production   dR/dt = kin (1 − D) − KOUT R
 *   stimulate-production dR/dt = kin (1 + D) − KOUT R
 *   inhibit-loss         dR/dt = kin − KOUT (1 − D) R
 *   stimulate-loss       dR/dt = kin − KOUT (1 + D) R.
 * All four are linear in R once C(t) is known, so each panel [a, b] (h = b − a) of a grid
 * (../indirect-response `buildPdGrid`) maps R(a) to R(b) = Φ R(a) + ψ, advanced exactly in R by the
 * integrating factor of the drug-free part, with only the drug terms integrated numerically by
 * 3-point Gauss–Legendre on the panel (nodes s_q = a + c_q h, weights b_q):
 *   production:  Φ = e^{−KOUT h},
 *                ψ = BASE (1 − e^{−KOUT h}) ∓ kin Σ_q h b_q e^{−KOUT (b − s_q)} D(C(s_q))
 *                (exactly ../indirect-response's scheme, whose results inhibit-production reproduces);
 *   loss (k(t) = KOUT (1 + γD), γ = −1 inhibit, +1 stimulate):
 *                Φ = e^{−∫k} = e^{−KOUT h} e^{−γ KOUT h Σ_r b_r D_r},
 *                ψ = kin ∫_a^b e^{−∫_s^b k} ds
 *                  = BASE (1 − e^{−KOUT h}) + kin Σ_q h b_q e^{−KOUT (b − s_q)} expm1(−γ KOUT J_q),
 *                J_q = ∫_{s_q}^b D ≈ h Σ_r (b_r − a_qr) D_r,
 *   where a_qr = ∫_0^{c_q} ℓ_r are the Gauss–Legendre collocation coefficients (ℓ_r the Lagrange
 *   basis on the nodes): the quadratic interpolant of D is integrated from each node to the panel
 *   end. By the collocation conditions the interpolation error cancels to the method's order 6
 *   (tested by refinement). Both are exact with no drug (placebo stays at BASE).
 * The quadrature weights e^{−KOUT (b − s_q)} assume KOUT·h (and KOUT·EMAX·h for stimulate-loss) is
 * small; `stiffness` gives the largest rate so that the caller can refine the grid
 * (structural-model.ts keeps rate × longest panel ≤ 0.5, where 3-point Gauss–Legendre of e^{−kt}
 * is accurate to ~1e-8 relative).
 *
 * Periodic steady state. With C periodic (PK at steady state), one interval maps R(0) to
 * R(τ) = Φ R(0) + ψ with Φ = Π Φ_panel and ψ the end value started from R = 0; the periodic start is
 * the fixed point R0 = ψ / (1 − Φ) — exact, one pass, no "simulate long enough". It is computed for
 * u = R − BASE (same Φ; ψ_u = ψ − BASE (1 − Φ), which is 0 without drug), so that R0 is exactly BASE
 * without drug and carries no cancellation when the drug effect is small. Direct and effect-compartment responses
 * are periodic once C and Ce are.
 */
import type { IndirectType, PdDirection } from '../../study/study-spec';
import type { PdGrid } from '../indirect-response';

/** Fraction of the maximal effect at concentration c: c^h / (c50^h + c^h), 0 for c ≤ 0. */
export function occupancy(c: number, c50: number, hill: number): number {
  if (!(c > 0)) return 0;
  if (hill === 1) return c / (c50 + c);
  // Written so that neither power overflows.
  if (c <= c50) {
    const x = Math.pow(c / c50, hill);
    return x / (1 + x);
  }
  return 1 / (1 + Math.pow(c50 / c, hill));
}

export interface DirectEffectParameters {
  direction: PdDirection;
  /** Effect without drug (E0). */
  e0: number;
  /** EMAX (increase) or IMAX (decrease). */
  max: number;
  /** EC50 (increase) or IC50 (decrease). */
  c50: number;
  hill: number;
}

/** E at each concentration (C for the direct family, Ce for the effect-compartment family). */
export function directEffect(p: DirectEffectParameters, concentration: ArrayLike<number>, out?: Float64Array): Float64Array {
  const n = concentration.length;
  const result = out ?? new Float64Array(n);
  const { e0, max, c50, hill } = p;
  if (p.direction === 'increase') {
    for (let i = 0; i < n; i++) result[i] = e0 + max * occupancy(concentration[i], c50, hill);
  } else {
    for (let i = 0; i < n; i++) result[i] = e0 * (1 - max * occupancy(concentration[i], c50, hill));
  }
  return result;
}

export interface IndirectParameters {
  type: IndirectType;
  /** Baseline response R(0) = kin / KOUT. */
  base: number;
  kout: number;
  /** IMAX (inhibiting types, ≤ 1) or EMAX (stimulating types). */
  max: number;
  /** IC50 or EC50. */
  c50: number;
  hill: number;
}

/** The largest first-order rate R can have: what the panel lengths must resolve. */
export function stiffness(p: IndirectParameters): number {
  return p.type === 'stimulate-loss' ? p.kout * (1 + p.max) : p.kout;
}

const GL_X = [-Math.sqrt(3 / 5), 0, Math.sqrt(3 / 5)];
const GL_W = [5 / 9, 8 / 9, 5 / 9];
/** Nodes and weights on [0, 1]. */
const C = GL_X.map((x) => (1 + x) / 2);
const B = GL_W.map((w) => w / 2);

/** REST[q][r] = ∫_{c_q}^1 ℓ_r(u) du: the quadratic interpolant's integral from node q to the panel end. */
export const GL_REST: readonly (readonly number[])[] = C.map((cq) =>
  C.map((cr, r) => {
    const [ca, cb] = C.filter((_, m) => m !== r);
    const den = (cr - ca) * (cr - cb);
    const primitive = (u: number): number => (u * u * u) / 3 - ((ca + cb) * u * u) / 2 + ca * cb * u;
    return (primitive(1) - primitive(cq)) / den;
  }),
);

/** Per-length values: decay, 3 weights, 3 (KOUT h b_r), 9 (KOUT h REST_qr). */
const STRIDE = 16;

/** Scratch for repeated integration on one grid (no allocation in fitting loops). */
export interface IndirectWorkspace {
  perLength: Float64Array;
  /** R after each panel. */
  response: Float64Array;
  /** What `perLength` holds values for: the grid, KOUT and whether the loss-type entries are filled (null: nothing yet). */
  lengthsFor: { grid: PdGrid | null; kout: number; loss: boolean };
}

export function createIndirectWorkspace(grid: PdGrid): IndirectWorkspace {
  return {
    perLength: new Float64Array(STRIDE * grid.lengths.length),
    response: new Float64Array(grid.panelCount),
    lengthsFor: { grid: null, kout: Number.NaN, loss: false },
  };
}

function prepareLengths(p: IndirectParameters, grid: PdGrid, ws: IndirectWorkspace): void {
  const { kout } = p;
  const loss = p.type === 'inhibit-loss' || p.type === 'stimulate-loss';
  // The values depend on KOUT and the panel lengths alone: a fit moving other parameters (BASE, the
  // potency, their η) keeps them. (0 and −0 are told apart; NaN never matches.)
  const held = ws.lengthsFor;
  if (held.grid === grid && held.kout === kout && (kout !== 0 || 1 / kout === 1 / held.kout) && (held.loss || !loss)) return;
  held.grid = grid;
  held.kout = kout;
  held.loss = loss;
  const v = ws.perLength;
  for (let l = 0; l < grid.lengths.length; l++) {
    const h = grid.lengths[l];
    const o = STRIDE * l;
    v[o] = Math.exp(-kout * h);
    // As ../indirect-response computes its weights, so that inhibit-production matches it exactly.
    for (let q = 0; q < 3; q++) v[o + 1 + q] = (h / 2) * GL_W[q] * Math.exp((-kout * h * (1 - GL_X[q])) / 2);
    if (!loss) continue;
    for (let r = 0; r < 3; r++) v[o + 4 + r] = kout * h * B[r];
    for (let q = 0; q < 3; q++) for (let r = 0; r < 3; r++) v[o + 7 + 3 * q + r] = kout * h * GL_REST[q][r];
  }
}

/**
 * Advances R over a grid from `initial` at its start, with C at the grid's nodes read from
 * `concentration` at `nodeOffset + node`; writes R after each panel into the workspace and, when
 * `out` is given, R at the grid's output times into out[outputIndex[k]] (or out[k]). Returns R at the
 * grid's end. Parameters are not validated here (hot loop).
 */
export function advanceIndirect(
  p: IndirectParameters,
  grid: PdGrid,
  concentration: ArrayLike<number>,
  nodeOffset: number,
  initial: number,
  ws: IndirectWorkspace,
  out?: Float64Array,
  outputIndex?: Int32Array,
): number {
  const r = sweep(p, grid, concentration, nodeOffset, initial, ws, false);
  if (out) {
    const resp = ws.response;
    for (let k = 0; k < grid.outputTimes.length; k++) {
      const panel = grid.outputPanel[k];
      out[outputIndex ? outputIndex[k] : k] = panel < 0 ? initial : resp[panel];
    }
  }
  return r;
}

/**
 * One pass over the grid. `deviation`: integrate u = R − BASE instead (the same propagators, without
 * the drug-free source), which is exactly 0 without drug; `logPhi` receives log Φ of the whole grid.
 */
function sweep(
  p: IndirectParameters,
  grid: PdGrid,
  concentration: ArrayLike<number>,
  nodeOffset: number,
  initial: number,
  ws: IndirectWorkspace,
  deviation: boolean,
  logPhi?: { value: number },
): number {
  prepareLengths(p, grid, ws);
  const { base, kout, max, c50, hill, type } = p;
  const kin = base * kout;
  const v = ws.perLength;
  const resp = ws.response;
  const c = concentration;
  let r = initial;
  if (type === 'inhibit-production' || type === 'stimulate-production') {
    // As ../indirect-response writes it, r·d + BASE(1 − d) − kin·IMAX·drug, with the sign folded
    // into the gain (exact); the deviation form drops the BASE term.
    const source = deviation ? 0 : base;
    const gain = (type === 'inhibit-production' ? -kin : kin) * max;
    const panels = grid.panelCount;
    const lengthIndex = grid.lengthIndex;
    if (hill === 1) {
      for (let panel = 0; panel < panels; panel++) {
        const o = STRIDE * lengthIndex[panel];
        const n0 = nodeOffset + 3 * panel;
        const c0 = c[n0];
        const c1 = c[n0 + 1];
        const c2 = c[n0 + 2];
        let drug = 0;
        if (c0 > 0) drug += (v[o + 1] * c0) / (c50 + c0);
        if (c1 > 0) drug += (v[o + 2] * c1) / (c50 + c1);
        if (c2 > 0) drug += (v[o + 3] * c2) / (c50 + c2);
        const d = v[o];
        r = r * d + source * (1 - d) + gain * drug;
        resp[panel] = r;
      }
    } else {
      for (let panel = 0; panel < panels; panel++) {
        const o = STRIDE * lengthIndex[panel];
        const n0 = nodeOffset + 3 * panel;
        const drug =
          v[o + 1] * occupancy(c[n0], c50, hill) + v[o + 2] * occupancy(c[n0 + 1], c50, hill) + v[o + 3] * occupancy(c[n0 + 2], c50, hill);
        const d = v[o];
        r = r * d + source * (1 - d) + gain * drug;
        resp[panel] = r;
      }
    }
    if (logPhi) {
      let span = 0;
      for (let panel = 0; panel < panels; panel++) span += grid.lengths[lengthIndex[panel]];
      logPhi.value = -kout * span;
    }
    return r;
  }
  const gamma = type === 'inhibit-loss' ? -1 : 1;
  let log = 0;
  for (let panel = 0; panel < grid.panelCount; panel++) {
    const o = STRIDE * grid.lengthIndex[panel];
    const n0 = nodeOffset + 3 * panel;
    const d0 = max * occupancy(c[n0], c50, hill);
    const d1 = max * occupancy(c[n0 + 1], c50, hill);
    const d2 = max * occupancy(c[n0 + 2], c50, hill);
    const s = -gamma * (v[o + 4] * d0 + v[o + 5] * d1 + v[o + 6] * d2);
    const j0 = v[o + 7] * d0 + v[o + 8] * d1 + v[o + 9] * d2;
    const j1 = v[o + 10] * d0 + v[o + 11] * d1 + v[o + 12] * d2;
    const j2 = v[o + 13] * d0 + v[o + 14] * d1 + v[o + 15] * d2;
    const d = v[o];
    const drug = v[o + 1] * Math.expm1(-gamma * j0) + v[o + 2] * Math.expm1(-gamma * j1) + v[o + 3] * Math.expm1(-gamma * j2);
    // R(b) = Φ R(a) + ψ; for u = R − BASE: u(b) = Φ u(a) + BASE (Φ − e^{−KOUT h}) + kin·drug.
    if (deviation) r = d * Math.exp(s) * r + base * d * Math.expm1(s) + kin * drug;
    else r = d * Math.exp(s) * r + base * (1 - d) + kin * drug;
    log += s - kout * grid.lengths[grid.lengthIndex[panel]];
    resp[panel] = r;
  }
  if (logPhi) logPhi.value = log;
  return r;
}

/**
 * The periodic start R0 for a grid spanning exactly one dosing interval with C at its periodic
 * steady state at the nodes: R0 = BASE + u0, u0 = ψ_u / (1 − Φ) from one pass in deviation form
 * (exactly BASE without drug).
 */
export function periodicStart(
  p: IndirectParameters,
  grid: PdGrid,
  concentration: ArrayLike<number>,
  nodeOffset: number,
  ws: IndirectWorkspace,
): number {
  const logPhi = { value: 0 };
  const psi = sweep(p, grid, concentration, nodeOffset, 0, ws, true, logPhi);
  return p.base + psi / -Math.expm1(logPhi.value);
}
