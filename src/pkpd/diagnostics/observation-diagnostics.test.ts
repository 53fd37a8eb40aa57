import { describe, expect, it } from 'vitest';
import { inhibition } from '../indirect-response';
import { integrateWithEvents } from '../ode';
import { ESTDATA_LIKE_MODEL, type PopulationModel } from '../population-model';
import type { PkpdSubject } from '../subject-data';
import { SCENARIO_ESTDATA_2CMT, simulatedTrial } from '../testing/scenarios';
import { individualCurves } from './individual-curves';
import { type DiagnosticsInput, observationDiagnostics, type SubjectEtas } from './observation-diagnostics';

function inputFor(model: PopulationModel, subjects: PkpdSubject[], etas: Map<string, SubjectEtas>): DiagnosticsInput {
  return {
    model,
    subjects,
    etas,
    observations: {
      pk: subjects.filter((s) => s.pk.times.length > 0).map((s) => ({ id: s.id, times: s.pk.times, dv: s.pk.values })),
      pd: subjects.map((s) => ({ id: s.id, times: s.pd.times, dv: s.pd.values })),
    },
  };
}

/** One-compartment oral PK written out from docs/mechanistic-model.md, independent of src/pkpd/pk-model. */
function oneCompartment(cl: number, v: number, ka: number, subject: PkpdSubject, t: number): number {
  const k = cl / v;
  let c = 0;
  for (const d of subject.doses) {
    const dt = t - d.time;
    if (dt > 0) c += ((d.amount * ka) / (v * (ka - k))) * (Math.exp(-k * dt) - Math.exp(-ka * dt));
  }
  return c;
}

/** PD reference: the indirect-response ODE driven by the one-compartment formula, by Dormand–Prince. */
function odePd(base: number, kout: number, imax: number, ic50: number, conc: (t: number) => number, times: number[]): number[] {
  const rhs = (t: number, y: Float64Array, dy: Float64Array): void => {
    dy[0] = base * kout * (1 - inhibition(conc(t), imax, ic50)) - kout * y[0];
  };
  // Stops at every day boundary keep the steps off the kinks of C(t) at the daily doses.
  const stops = [...new Set([...Array.from({ length: 50 }, (_, d) => 24 * d), ...times])].sort((a, b) => a - b);
  const states = integrateWithEvents(rhs, 0, [base], stops, [], { rtol: 1e-11, atol: 1e-12, maxStep: 2 });
  const at = new Map(stops.map((t, i) => [t, states[i][0]]));
  return times.map((t) => at.get(t)!);
}

describe('observation diagnostics of the mechanistic model', () => {
  const model = ESTDATA_LIKE_MODEL;
  const { subjects, truth } = simulatedTrial(model, 3, 11);
  const trueEtas = new Map(truth.map((t) => [String(t.id), { pk: t.etaPk, pd: t.etaPd }]));
  const rows = observationDiagnostics(inputFor(model, subjects, trueEtas));
  const f = model.pk.fixed;

  it('gives one row per fitted observation, PK then PD', () => {
    const pkCount = subjects.reduce((a, s) => a + s.pk.times.length, 0);
    const pdCount = subjects.reduce((a, s) => a + s.pd.times.length, 0);
    expect(rows.filter((r) => r.target === 'pk')).toHaveLength(pkCount);
    expect(rows.filter((r) => r.target === 'pd')).toHaveLength(pdCount);
    expect(rows[0].target).toBe('pk');
    expect(rows.every((r) => Number.isNaN(r.cwres))).toBe(true);
  });

  it('PRED with η = 0 equals the closed-form PK of the fixed effects and covariates', () => {
    const byId = new Map(subjects.map((s) => [s.id, s]));
    let checked = 0;
    for (const r of rows.filter((x) => x.target === 'pk')) {
      const s = byId.get(r.id)!;
      const w = s.bw / 70;
      const expected = oneCompartment(f.cl * w ** f.betaCl * f.comedOnCl ** s.comed, f.v * w ** f.betaV, f.ka, s, r.time);
      expect(r.pred).toBeCloseTo(expected, 10);
      expect(Math.abs(r.pred - expected) / expected).toBeLessThan(1e-9);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('IPRED at a subject’s known η matches the model evaluated at that η (PK closed form, PD by an ODE solver)', () => {
    const s = subjects.find((x) => x.armDose === 10)!;
    const eta = trueEtas.get(s.id)!;
    const w = s.bw / 70;
    const cl = f.cl * w ** f.betaCl * f.comedOnCl ** s.comed * Math.exp(eta.pk.cl ?? 0);
    const v = f.v * w ** f.betaV * Math.exp(eta.pk.v ?? 0);
    const mine = rows.filter((r) => r.id === s.id);
    for (const r of mine.filter((x) => x.target === 'pk'))
      expect(Math.abs(r.ipred / oneCompartment(cl, v, f.ka, s, r.time) - 1)).toBeLessThan(1e-9);
    const pd = model.pd.fixed;
    const base = pd.base * pd.comedOnBase ** s.comed * Math.exp(eta.pd.base ?? 0);
    const pdRows = mine.filter((x) => x.target === 'pd');
    const reference = odePd(
      base,
      pd.kout,
      pd.imax,
      pd.ic50,
      (t) => oneCompartment(cl, v, f.ka, s, t),
      pdRows.map((r) => r.time),
    );
    pdRows.forEach((r, i) => expect(Math.abs(r.ipred - reference[i])).toBeLessThan(1e-5 * base));
    // IPRED differs from PRED where η is not zero.
    expect(mine.some((r) => Math.abs(r.ipred - r.pred) > 1e-3 * r.pred)).toBe(true);
  });

  it('IWRES at the true η are standard normal (data simulated from the model)', () => {
    for (const target of ['pk', 'pd'] as const) {
      const iwres = rows.filter((r) => r.target === target).map((r) => r.iwres);
      const mean = iwres.reduce((a, b) => a + b, 0) / iwres.length;
      const sd = Math.sqrt(iwres.reduce((a, b) => a + (b - mean) ** 2, 0) / (iwres.length - 1));
      expect(Math.abs(mean), target).toBeLessThan(0.2);
      expect(sd, target).toBeGreaterThan(0.85);
      expect(sd, target).toBeLessThan(1.15);
    }
  });

  it('individual curves pass through IPRED and PRED at the observation times (two compartments)', () => {
    const two = simulatedTrial(SCENARIO_ESTDATA_2CMT, 1, 5);
    const etas = new Map(two.truth.map((t) => [String(t.id), { pk: t.etaPk, pd: t.etaPd }]));
    const input = inputFor(SCENARIO_ESTDATA_2CMT, two.subjects, etas);
    const obs = observationDiagnostics(input);
    const curves = individualCurves(input, 200);
    expect(curves).toHaveLength(two.subjects.length);
    expect(curves.find((c) => c.armDose === 0)!.pk).toBeNull();
    for (const c of curves) {
      for (const r of obs.filter((x) => x.id === c.id)) {
        const k = c.time.indexOf(r.time);
        const pair = r.target === 'pk' ? c.pk! : c.pd;
        expect(k, `${c.id} ${r.target} ${r.time}`).toBeGreaterThanOrEqual(0);
        // PD integrates over a different panel grid here: agreement to the integrator's accuracy.
        expect(Math.abs(pair.ipred[k] - r.ipred)).toBeLessThan(1e-6 * Math.max(1, r.ipred));
        expect(Math.abs(pair.pred[k] - r.pred)).toBeLessThan(1e-6 * Math.max(1, r.pred));
      }
    }
  });
});
