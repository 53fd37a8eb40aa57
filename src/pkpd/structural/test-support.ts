/**
 * The independent reference of the structural engine's tests (not used by the app): the full ODE
 * system — depot, central and peripheral amounts, the infusion rate, the effect site and the four
 * indirect responses side by side — solved by Dormand–Prince (../ode `integrateWithEvents`) at tight
 * tolerance, with doses as events (oral into the depot at time + TLAG, boluses into the central
 * compartment, infusions switching a rate on and off). Outputs at an event time see the state
 * before the event, the engine's convention.
 *
 *   depot'   = −KA depot
 *   central' = KA depot − (k10 + k12) central + k21 periph + rate      (C = central / V)
 *   periph'  = k12 central − k21 periph
 *   Ce'      = KE0 (C − Ce)
 *   R_ip' = kin (1 − I(C)) − KOUT R,  R_sp' = kin (1 + S(C)) − KOUT R,
 *   R_il' = kin − KOUT (1 − I(C)) R,  R_sl' = kin − KOUT (1 + S(C)) R,
 *   I = IMAX C^h/(IC50^h + C^h), S = EMAX C^h/(EC50^h + C^h), kin = BASE KOUT, R(start) = BASE.
 *
 * Steady-state (SS=1) doses are not events here: `expandSteadyState` turns a history into ODE runs,
 * one per epoch (doses.ts), each SS dose replaced by `copies` identical doses before it, and the
 * doses before it dropped (reset).
 */
import type { IndirectType } from '../../study/study-spec';
import { integrateWithEvents, type OdeOptions } from '../ode';
import type { DoseEvent } from './doses';

export interface ReferenceModel {
  compartments: 1 | 2;
  cl: number;
  v: number;
  q?: number;
  v2?: number;
  ka?: number;
  tlag?: number;
  ke0?: number;
  base?: number;
  kout?: number;
  imax?: number;
  ic50?: number;
  emax?: number;
  ec50?: number;
  hill?: number;
}

export interface ReferenceSolution {
  c: number[];
  ce: number[];
  r: Record<IndirectType, number[]>;
}

const STATE = { depot: 0, central: 1, periph: 2, rate: 3, ce: 4, ip: 5, sp: 6, il: 7, sl: 8 } as const;

function fraction(c: number, c50: number, h: number): number {
  if (!(c > 0)) return 0;
  const x = Math.pow(c / c50, h);
  return x / (1 + x);
}

/** Solves the ODE system for doses without steady-state flags, from `start` (default: earliest of 0, doses, times). */
export function solveReference(
  m: ReferenceModel,
  doses: readonly DoseEvent[],
  times: readonly number[],
  options: OdeOptions = {},
  start?: number,
): ReferenceSolution {
  const k10 = m.cl / m.v;
  const k12 = m.compartments === 2 ? (m.q as number) / m.v : 0;
  const k21 = m.compartments === 2 ? (m.q as number) / (m.v2 as number) : 0;
  const ka = m.ka ?? 0;
  const ke0 = m.ke0 ?? 1;
  const base = m.base ?? 1;
  const kout = m.kout ?? 1;
  const kin = base * kout;
  const imax = m.imax ?? 0.5;
  const ic50 = m.ic50 ?? 1;
  const emax = m.emax ?? 1;
  const ec50 = m.ec50 ?? 1;
  const h = m.hill ?? 1;
  const rhs = (_t: number, y: Float64Array, dy: Float64Array): void => {
    const c = y[STATE.central] / m.v;
    dy[STATE.depot] = -ka * y[STATE.depot];
    dy[STATE.central] = ka * y[STATE.depot] - (k10 + k12) * y[STATE.central] + k21 * y[STATE.periph] + y[STATE.rate];
    dy[STATE.periph] = k12 * y[STATE.central] - k21 * y[STATE.periph];
    dy[STATE.rate] = 0;
    dy[STATE.ce] = ke0 * (c - y[STATE.ce]);
    const inh = imax * fraction(c, ic50, h);
    const stim = emax * fraction(c, ec50, h);
    dy[STATE.ip] = kin * (1 - inh) - kout * y[STATE.ip];
    dy[STATE.sp] = kin * (1 + stim) - kout * y[STATE.sp];
    dy[STATE.il] = kin - kout * (1 - inh) * y[STATE.il];
    dy[STATE.sl] = kin - kout * (1 + stim) * y[STATE.sl];
  };
  const events: { time: number; apply: (y: Float64Array) => void }[] = [];
  for (const d of doses) {
    if (d.steadyState) throw new Error('solveReference: expand steady-state doses first (expandSteadyState)');
    if (d.route === 'oral') events.push({ time: d.time + (m.tlag ?? 0), apply: (y) => void (y[STATE.depot] += d.amount) });
    else if (d.route === 'bolus') events.push({ time: d.time, apply: (y) => void (y[STATE.central] += d.amount) });
    else {
      const rate = d.amount / (d.duration as number);
      events.push({ time: d.time, apply: (y) => void (y[STATE.rate] += rate) });
      events.push({ time: d.time + (d.duration as number), apply: (y) => void (y[STATE.rate] -= rate) });
    }
  }
  let t0 = start ?? 0;
  if (start === undefined) {
    for (const e of events) t0 = Math.min(t0, e.time);
    for (const t of times) t0 = Math.min(t0, t);
  }
  const y0 = [0, 0, 0, 0, 0, base, base, base, base];
  const ys = integrateWithEvents(rhs, t0, y0, times, events, { rtol: 1e-11, atol: 1e-13, ...options });
  return {
    c: ys.map((y) => y[STATE.central] / m.v),
    ce: ys.map((y) => y[STATE.ce]),
    r: {
      'inhibit-production': ys.map((y) => y[STATE.ip]),
      'stimulate-production': ys.map((y) => y[STATE.sp]),
      'inhibit-loss': ys.map((y) => y[STATE.il]),
      'stimulate-loss': ys.map((y) => y[STATE.sl]),
    },
  };
}

/**
 * The reference for a history with steady-state doses: each epoch solved on its own, an SS dose
 * replaced by `copies` doses every interval ending at it (starting drug-free, R = BASE), earlier
 * doses dropped. Outputs in the order of `times`.
 */
export function solveReferenceWithSteadyState(
  m: ReferenceModel,
  doses: readonly DoseEvent[],
  times: readonly number[],
  copies: number,
  options: OdeOptions = {},
): ReferenceSolution {
  const ssTimes = [...new Set(doses.filter((d) => d.steadyState).map((d) => d.time))].sort((a, b) => a - b);
  const epochOf = (t: number): number => ssTimes.filter((s) => s <= t).length;
  const out: ReferenceSolution = {
    c: new Array<number>(times.length),
    ce: new Array<number>(times.length),
    r: { 'inhibit-production': [], 'stimulate-production': [], 'inhibit-loss': [], 'stimulate-loss': [] },
  };
  for (let e = 0; e <= ssTimes.length; e++) {
    const index = times.map((t, i) => (epochOf(t) === e ? i : -1)).filter((i) => i >= 0);
    if (index.length === 0) continue;
    const from = e === 0 ? -Infinity : ssTimes[e - 1];
    const to = e < ssTimes.length ? ssTimes[e] : Infinity;
    const inEpoch = doses.filter((d) => d.time >= from && d.time < to && !d.steadyState);
    let start: number | undefined;
    if (e > 0) {
      const ss = doses.filter((d) => d.steadyState && d.time === from).at(-1) as DoseEvent;
      const tau = (ss.steadyState as { interval: number }).interval;
      for (let k = copies - 1; k >= 0; k--) inEpoch.push({ ...ss, time: from - k * tau, steadyState: undefined });
      start = from - (copies - 1) * tau;
    }
    const sub = solveReference(
      m,
      inEpoch,
      index.map((i) => times[i]),
      options,
      start,
    );
    index.forEach((i, k) => {
      out.c[i] = sub.c[k];
      out.ce[i] = sub.ce[k];
      for (const type of Object.keys(out.r) as IndirectType[]) out.r[type][i] = sub.r[type][k];
    });
  }
  return out;
}
