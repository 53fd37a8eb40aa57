import { describe, expect, it } from 'vitest';
import { mapEstimate, PatientPosterior } from './map-estimate';
import { laplaceSamples, predictionBand, samplePosterior } from './posterior-sampling';
import { exampleModel, simulatePatients } from './test-support';

const { spec, model } = exampleModel();

describe('posterior sampling (SIR)', () => {
  it('is seeded and centred near the MAP η with about the Laplace spread', () => {
    const [p] = simulatePatients(spec, model, 1, 7);
    const posterior = new PatientPosterior(spec, model, p.record);
    const map = mapEstimate(posterior);
    const a = samplePosterior(posterior, map, { seed: 3 });
    const b = samplePosterior(posterior, map, { seed: 3 });
    expect(a.eta.map((e) => Array.from(e))).toEqual(b.eta.map((e) => Array.from(e)));
    expect(a.effectiveSize).toBeGreaterThan(200);
    const k = map.eta.length;
    for (let j = 0; j < k; j++) {
      const values = a.eta.map((e) => e[j]);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
      const laplace = Math.sqrt(map.covariance[j * k + j]);
      expect(Math.abs(mean - map.eta[j])).toBeLessThan(0.5 * laplace);
      expect(sd / laplace).toBeGreaterThan(0.6);
      expect(sd / laplace).toBeLessThan(1.6);
    }
  });

  it('gives 90 % bands that cover about 90 % of the next levels of patients simulated from the known model', () => {
    const patients = simulatePatients(spec, model, 60, 99);
    let covered = 0;
    let total = 0;
    for (const p of patients) {
      const posterior = new PatientPosterior(spec, model, p.record);
      const map = mapEstimate(posterior);
      const samples = samplePosterior(posterior, map, { seed: 11 });
      for (const level of p.next) {
        const band = predictionBand(posterior, samples, level.endpoint, [level.time], { withError: true });
        total++;
        if (level.value >= band.lower[0] && level.value <= band.upper[0]) covered++;
      }
    }
    // Measured (60 patients × 2 next levels, seeds 99/11): see the printed line and docs/patient.md.
    console.log(JSON.stringify({ covered, total, coverage: covered / total }));
    expect(covered / total).toBeGreaterThan(0.8);
    expect(covered / total).toBeLessThan(0.98);
  });

  it('repairs a poor first proposal with a second round from the first round’s weighted moments', () => {
    const [p] = simulatePatients(spec, model, 1, 7);
    const posterior = new PatientPosterior(spec, model, p.record);
    const map = mapEstimate(posterior);
    // A Laplace covariance far too narrow (SDs × 0.05): the first round's weights are uneven.
    const narrow = { ...map, covariance: map.covariance.map((v) => v * 0.0025) };
    const once = samplePosterior(posterior, narrow, { seed: 5, minEffectiveShare: 0 });
    const twice = samplePosterior(posterior, narrow, { seed: 5 });
    const reference = samplePosterior(posterior, map, { seed: 9, proposals: 20000, samples: 4000 });
    expect(once.rounds).toBe(1);
    expect(once.effectiveSize).toBeLessThan(0.1 * once.proposals);
    expect(twice.rounds).toBe(2);
    expect(twice.effectiveSize).toBeGreaterThan(5 * once.effectiveSize);
    expect(reference.rounds).toBe(1);
    const k = map.eta.length;
    const moments = (draws: Float64Array[], j: number): [number, number] => {
      const v = draws.map((e) => e[j]);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return [mean, Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length)];
    };
    for (let j = 0; j < k; j++) {
      const [m2, s2] = moments(twice.eta, j);
      const [m1, s1] = moments(once.eta, j);
      const [mr, sr] = moments(reference.eta, j);
      // The second round's samples have the reference's centre and spread, nearer than the first round's alone.
      console.log(
        JSON.stringify({ j, once: [m1 - mr, s1 / sr], twice: [m2 - mr, s2 / sr], sr, ess: [once.effectiveSize, twice.effectiveSize] }),
      );
      expect(Math.abs(m2 - mr)).toBeLessThan(0.25 * sr);
      expect(s2 / sr).toBeGreaterThan(0.7);
      expect(s2 / sr).toBeLessThan(1.4);
      expect(Math.abs(s2 / sr - 1)).toBeLessThan(Math.abs(s1 / sr - 1));
    }
  });

  it('draws from the Laplace approximation with its covariance', () => {
    const [p] = simulatePatients(spec, model, 1, 7);
    const map = mapEstimate(new PatientPosterior(spec, model, p.record));
    const draws = laplaceSamples(map, { samples: 4000, seed: 2 });
    const cl = draws.eta.map((e) => e[0]);
    const mean = cl.reduce((s, v) => s + v, 0) / cl.length;
    const sd = Math.sqrt(cl.reduce((s, v) => s + (v - mean) ** 2, 0) / cl.length);
    expect(Math.abs(mean - map.eta[0])).toBeLessThan(0.01);
    expect(sd / Math.sqrt(map.covariance[0])).toBeCloseTo(1, 1);
  });

  it('samples the prior without levels', () => {
    const [p] = simulatePatients(spec, model, 1, 5);
    const posterior = new PatientPosterior(spec, model, { ...p.record, observations: [] });
    const samples = samplePosterior(posterior, mapEstimate(posterior), { samples: 4000, seed: 1 });
    const cl = samples.eta.map((e) => e[0]);
    const sd = Math.sqrt(cl.reduce((s, v) => s + v * v, 0) / cl.length);
    expect(sd).toBeGreaterThan(0.23);
    expect(sd).toBeLessThan(0.27);
  });
});
