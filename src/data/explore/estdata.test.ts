import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestText } from '../ingest';
import type { Dataset } from '../types';
import { DVID_PD, DVID_PK } from '../types';
import { deriveArms } from './arms';
import { bodyWeightByArm } from './bw-by-arm';
import { comedByArm } from './comed-by-arm';
import { hysteresisLoops } from './hysteresis';
import { individualSeries } from './individual-series';
import { meanCurves } from './mean-curves';
import { subjectSeries } from './subject-series';
import { subjectSummaries } from './subject-summaries';
import { ESTDATA_PATH } from '../../testing/fixture-files';

const CSV = ESTDATA_PATH;

function estData(): Dataset {
  const result = ingestText(readFileSync(CSV, 'utf8'), 'EstData.csv');
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.dataset;
}

describe('explorer derivations on EstData.csv', () => {
  const ds = estData();

  it('has 4 arms of 12 subjects with BW and a COMED split', () => {
    const arms = deriveArms(ds);
    expect(arms.map((a) => [a.label, a.subjects.length])).toEqual([
      ['Placebo', 12],
      ['1 mg', 12],
      ['3 mg', 12],
      ['10 mg', 12],
    ]);
    const comed = comedByArm(ds, arms);
    expect(comed?.map((c) => c.with + c.without)).toEqual([12, 12, 12, 12]);
    expect(comed?.reduce((s, c) => s + c.with, 0)).toBe(24);
    expect(bodyWeightByArm(ds, arms)?.weights).toHaveLength(48);
    expect(subjectSummaries(ds)).toHaveLength(48);
  });

  it('has mean PD at time 0 around 9 ng/mL per arm: ≈10.6 without COMED, ≈7.6 with', () => {
    const pd = meanCurves(ds, DVID_PD);
    expect(pd.binned).toBe(false);
    expect(pd.curves).toHaveLength(4);
    for (const curve of pd.curves) {
      const t0 = curve.points[0];
      expect(t0.time).toBe(0);
      expect(t0.n).toBe(12);
      expect(t0.mean).toBeGreaterThan(8);
      expect(t0.mean).toBeLessThan(10);
    }
    const baseline = { with: [] as number[], without: [] as number[] };
    for (const s of subjectSummaries(ds)) {
      const t0 = subjectSeries(ds, s.subject).pd.find((p) => p.time === 0);
      if (t0 && (s.comed === 'with' || s.comed === 'without')) baseline[s.comed].push(t0.dv);
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(baseline.without)).toBeCloseTo(10.6, 1);
    expect(mean(baseline.with)).toBeCloseTo(7.6, 1);
  });

  it('has PK in the dosed arms only, at 24 nominal times, and a PK–PD loop per dosed arm', () => {
    const pk = meanCurves(ds, DVID_PK);
    expect(pk.curves.map((c) => [c.label, c.points.length])).toEqual([
      ['1 mg', 24],
      ['3 mg', 24],
      ['10 mg', 24],
    ]);
    expect(individualSeries(ds, DVID_PK)).toHaveLength(36);
    expect(hysteresisLoops(ds).map((l) => [l.label, l.points.length])).toEqual([
      ['1 mg', 24],
      ['3 mg', 24],
      ['10 mg', 24],
    ]);
    expect(subjectSeries(ds, deriveArms(ds)[3].subjects[0]).doses).toHaveLength(21);
  });
});
