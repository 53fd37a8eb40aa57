import { describe, expect, it } from 'vitest';
import { ESTDATA_LIKE_MODEL, type PopulationModel } from '../population-model';
import { simulatedSubjects } from '../testing/scenarios';
import type { DiagnosticsInput } from './observation-diagnostics';
import { visualPredictiveCheck, type VpcTarget } from './vpc';

const subjects = simulatedSubjects(ESTDATA_LIKE_MODEL, 12, 21);

function input(model: PopulationModel): DiagnosticsInput {
  return {
    model,
    subjects,
    etas: new Map(),
    observations: {
      pk: subjects.filter((s) => s.pk.times.length > 0).map((s) => ({ id: s.id, times: s.pk.times, dv: s.pk.values })),
      pd: subjects.map((s) => ({ id: s.id, times: s.pd.times, dv: s.pd.values })),
    },
  };
}

/** Share of bins (all strata) whose observed median lies inside the simulated median's 90 % interval. */
function medianCoverage(target: VpcTarget): number {
  const bins = target.strata.flatMap((s) => s.bins);
  return bins.filter((b) => b.simulated.p50.lo <= b.observed.p50 && b.observed.p50 <= b.simulated.p50.hi).length / bins.length;
}

describe('visual predictive check', () => {
  const truth = visualPredictiveCheck(input(ESTDATA_LIKE_MODEL), { replicates: 100, seed: 3 });

  it('stratifies by arm and uses the designed times as bins', () => {
    expect(truth.pk!.strata.map((s) => s.label)).toEqual(['1 mg', '3 mg', '10 mg']);
    expect(truth.pd!.strata.map((s) => s.label)).toEqual(['Placebo', '1 mg', '3 mg', '10 mg']);
    expect(truth.pk!.binned).toBe(false);
    const first = truth.pk!.strata[0];
    expect(first.bins.map((b) => b.time)).toEqual(Array.from(subjects.find((s) => s.armDose === 1)!.pk.times));
    expect(first.bins.every((b) => b.n === 12)).toBe(true);
    expect(first.observations.time).toHaveLength(12 * first.bins.length);
  });

  it('puts the observed median inside the simulated interval in most bins for data from the true model', () => {
    expect(medianCoverage(truth.pk!)).toBeGreaterThan(0.75);
    expect(medianCoverage(truth.pd!)).toBeGreaterThan(0.75);
  });

  it('orders each bin’s simulated percentiles and intervals', () => {
    for (const bin of truth.pd!.strata.flatMap((s) => s.bins)) {
      expect(bin.simulated.p05.median).toBeLessThan(bin.simulated.p50.median);
      expect(bin.simulated.p50.median).toBeLessThan(bin.simulated.p95.median);
      expect(bin.simulated.p50.lo).toBeLessThanOrEqual(bin.simulated.p50.median);
      expect(bin.simulated.p50.median).toBeLessThanOrEqual(bin.simulated.p50.hi);
    }
  });

  it('flags a wrong model: three times the clearance misses the observed PK median in most bins', () => {
    const wrong: PopulationModel = {
      ...ESTDATA_LIKE_MODEL,
      pk: { ...ESTDATA_LIKE_MODEL.pk, fixed: { ...ESTDATA_LIKE_MODEL.pk.fixed, cl: 3 * ESTDATA_LIKE_MODEL.pk.fixed.cl } },
    };
    const vpc = visualPredictiveCheck(input(wrong), { replicates: 30, seed: 3 });
    expect(medianCoverage(vpc.pk!)).toBeLessThan(0.3);
  });

  it('is reproducible for a seed and reports progress per replicate', () => {
    const seen: number[] = [];
    const a = visualPredictiveCheck(input(ESTDATA_LIKE_MODEL), { replicates: 5, seed: 9, onProgress: (done) => seen.push(done) });
    const b = visualPredictiveCheck(input(ESTDATA_LIKE_MODEL), { replicates: 5, seed: 9 });
    expect(a).toEqual(b);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });
});
