import { describe, expect, it } from 'vitest';
import { logNormalCdf, normalCdf } from '../pkpd/random';
import { mapEstimate, PatientPosterior } from './map-estimate';
import { libraryModel, readLibraryModel } from './model-library';
import { exampleModel, readPatientFile, simulatePatients, VANCOMYCIN_PATIENT_PATH } from './test-support';

/**
 * Nelder–Mead (Lagarias et al. 1998 coefficients) with restarts from the best vertex until a restart
 * no longer moves it: an optimiser that shares nothing with the BFGS of map-estimate.ts but the objective.
 */
function nelderMead(
  f: (x: Float64Array) => number,
  x0: Float64Array,
  scale = 0.1,
  tolerance = 1e-11,
): { x: Float64Array; f: number; evaluations: number } {
  const n = x0.length;
  let evaluations = 0;
  const value = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let best = Float64Array.from(x0);
  let bestF = value(best);
  for (let restart = 0; restart < 20; restart++) {
    const simplex: Float64Array[] = [Float64Array.from(best)];
    for (let i = 0; i < n; i++) {
      const v = Float64Array.from(best);
      v[i] += scale;
      simplex.push(v);
    }
    let values = simplex.map(value);
    for (let iteration = 0; iteration < 5000; iteration++) {
      const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
      const s = order.map((i) => simplex[i]);
      values = order.map((i) => values[i]);
      simplex.splice(0, simplex.length, ...s);
      const spread = Math.max(...simplex.slice(1).map((v) => Math.max(...v.map((x, i) => Math.abs(x - simplex[0][i])))));
      if (values[n] - values[0] < tolerance && spread < 1e-7) break;
      const centroid = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i][j] / n;
      const along = (t: number): Float64Array => Float64Array.from(centroid, (c, j) => c + t * (simplex[n][j] - c));
      const reflected = along(-1);
      const fr = value(reflected);
      if (fr < values[0]) {
        const expanded = along(-2);
        const fe = value(expanded);
        if (fe < fr) [simplex[n], values[n]] = [expanded, fe];
        else [simplex[n], values[n]] = [reflected, fr];
      } else if (fr < values[n - 1]) {
        [simplex[n], values[n]] = [reflected, fr];
      } else {
        const outside = fr < values[n];
        const contracted = along(outside ? -0.5 : 0.5);
        const fc = value(contracted);
        if (fc < (outside ? fr : values[n])) [simplex[n], values[n]] = [contracted, fc];
        else {
          for (let i = 1; i <= n; i++) {
            simplex[i] = Float64Array.from(simplex[i], (x, j) => simplex[0][j] + 0.5 * (x - simplex[0][j]));
            values[i] = value(simplex[i]);
          }
        }
      }
    }
    const i = values.indexOf(Math.min(...values));
    const moved = Math.max(...simplex[i].map((x, j) => Math.abs(x - best[j])));
    best = Float64Array.from(simplex[i]);
    bestF = values[i];
    if (moved < 1e-7) break;
    scale = Math.max(1e-3, scale / 2);
  }
  return { x: best, f: bestF, evaluations };
}

const { spec, model } = exampleModel();
const patients = simulatePatients(spec, model, 40, 20261206);

describe('MAP estimate', () => {
  it('agrees with Nelder–Mead on the same exact objective (|Δη| ≤ 0.001) for ≥ 95 % of 40 simulated patients', () => {
    let agree = 0;
    let worst = 0;
    for (const p of patients) {
      const posterior = new PatientPosterior(spec, model, p.record);
      const map = mapEstimate(posterior);
      const nm = nelderMead((x) => posterior.objective(x), new Float64Array(map.eta.length));
      const delta = Math.max(...map.eta.map((v, k) => Math.abs(v - nm.x[k])));
      worst = Math.max(worst, delta);
      if (delta <= 0.001) agree++;
      // Neither optimiser finds a lower objective than the other by more than numerical noise.
      expect(map.ofv).toBeLessThanOrEqual(nm.f + 1e-6);
    }
    // Measured (seed 20261206): see the printed line and docs/patient.md.
    console.log(JSON.stringify({ agree, of: patients.length, worst }));
    expect(agree / patients.length).toBeGreaterThanOrEqual(0.95);
    expect(worst).toBeLessThan(0.01);
  });

  it('predicts the next level better than the population prior (patients simulated from the known model)', () => {
    let mapPk = 0;
    let priorPk = 0;
    let mapPd = 0;
    let priorPd = 0;
    for (const p of patients) {
      const posterior = new PatientPosterior(spec, model, p.record);
      const map = mapEstimate(posterior);
      const [pk, pd] = p.next;
      const at = { pk: [pk.time], pd: [pd.time] };
      const individual = posterior.predictAt(map.eta, at);
      const typical = posterior.predictAt(new Float64Array(map.eta.length), at);
      mapPk += Math.abs(Math.log(pk.value / individual.pk[0]));
      priorPk += Math.abs(Math.log(pk.value / typical.pk[0]));
      mapPd += Math.abs(pd.value - individual.pd[0]) / pd.value;
      priorPd += Math.abs(pd.value - typical.pd[0]) / pd.value;
    }
    const n = patients.length;
    // Measured (seed 20261206, 40 patients): mean |log error| of the next concentration 0.154 (MAP) vs 0.207
    // (prior), −25 %; mean relative error of the next response 0.100 vs 0.137, −27 % (docs/patient.md).
    console.log(JSON.stringify({ pkMap: mapPk / n, pkPrior: priorPk / n, pdMap: mapPd / n, pdPrior: priorPd / n }));
    expect(mapPk).toBeLessThan(priorPk);
    expect(mapPd).toBeLessThan(priorPd);
  });

  it('with SDs that add (vancomycin, Goti 2018): the MAP is the Nelder–Mead minimum of the objective written here', () => {
    const { spec: vSpec, model: vModel } = readLibraryModel(libraryModel('vancomycin-goti2018')!);
    const posterior = new PatientPosterior(vSpec, vModel, readPatientFile(VANCOMYCIN_PATIENT_PATH));
    const levels = posterior.record.observations.map((o) => o.value);
    // SD = 3.4 + 0.227 f (posologyr's combined1), independent of src/pkpd/residual-error.ts.
    const objective = (eta: Float64Array): number => {
      const f = posterior.predictAtLevels(eta)!.pk;
      let total = 0;
      levels.forEach((y, j) => {
        const sd = 3.4 + 0.227 * f[j];
        total += ((y - f[j]) / sd) ** 2 + 2 * Math.log(sd);
      });
      eta.forEach((e, k) => (total += (e / posterior.omega[k]) ** 2));
      return total;
    };
    const map = mapEstimate(posterior);
    const nm = nelderMead(objective, new Float64Array(3));
    map.eta.forEach((e, k) => expect(Math.abs(e - nm.x[k])).toBeLessThan(1e-5));
    expect(Math.abs(map.ofv - nm.f)).toBeLessThan(1e-8);
    expect(posterior.objective(nm.x)).toBeCloseTo(objective(nm.x), 10);
  });

  it('is the prior without levels (η = 0, covariance Ω)', () => {
    const record = { ...patients[0].record, observations: [] };
    const map = mapEstimate(new PatientPosterior(spec, model, record));
    expect(Array.from(map.eta)).toEqual([0, 0, 0]);
    expect(map.covariance[0]).toBeCloseTo(0.25 ** 2, 12);
    expect(map.covariance[4]).toBeCloseTo(0.1 ** 2, 12);
    expect(map.individual).toEqual(map.typical);
  });

  it('uses the M3 likelihood for a below-LOQ level', () => {
    const base = patients[1].record;
    const posterior = new PatientPosterior(spec, model, { ...base, observations: [{ time: 200, endpoint: 'pk', value: 2, blq: true }] });
    const eta = Float64Array.of(0.1, -0.05, 0.2);
    const f = posterior.predictAt(eta, { pk: [200] }).pk[0];
    const sigma = model.residual.pk?.additive as number;
    const expected =
      -2 * Math.log(normalCdf((Math.log(2) - Math.log(f)) / sigma)) + (0.1 / 0.25) ** 2 + (0.05 / 0.1) ** 2 + (0.2 / 0.2) ** 2;
    expect(posterior.objective(eta)).toBeCloseTo(expected, 6);
    // A BLQ level far above the prediction tells little; one far below pulls clearance up.
    const map = mapEstimate(posterior);
    expect(Number.isFinite(map.ofv)).toBe(true);
  });

  it('log Φ matches log of the normal CDF and stays finite far in the tail', () => {
    for (const z of [-5, -2, -0.3, 0, 0.7, 3]) expect(logNormalCdf(z)).toBeCloseTo(Math.log(normalCdf(z)), 5);
    expect(logNormalCdf(-60)).toBeCloseTo(-0.5 * 60 * 60 - Math.log(60) - 0.5 * Math.log(2 * Math.PI), 3);
  });
});
