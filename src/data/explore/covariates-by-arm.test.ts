import { describe, expect, it } from 'vitest';
import { bodyWeightByArm } from './bw-by-arm';
import { comedByArm } from './comed-by-arm';
import { buildDataset, type FixtureRow } from './test-fixture';

const rows: FixtureRow[] = [
  { id: 1, time: 0, dv: 1, cov: { BW: 60, COMED: 0 } },
  { id: 2, time: 0, dv: 1, cov: { BW: 80, COMED: 1 } },
  { id: 2, time: 1, dv: 1, cov: { BW: 81, COMED: 1 } },
  { id: 3, time: 0, evid: 1, amt: 1, cov: { BW: 70, COMED: 1 } },
  { id: 4, time: 0, evid: 1, amt: 1, cov: { BW: Number.NaN, COMED: Number.NaN } },
  { id: 5, time: 0, evid: 1, amt: 1, cov: { BW: 90, COMED: 1 } },
];

describe('comedByArm', () => {
  it('counts subjects with and without COMED per arm', () => {
    expect(comedByArm(buildDataset(rows))).toEqual([
      { dose: 0, label: 'Placebo', without: 1, with: 1, unknown: 0, total: 2 },
      { dose: 1, label: '1 mg', without: 0, with: 2, unknown: 1, total: 3 },
    ]);
  });

  it('is null without a COMED covariate', () => {
    const ds = buildDataset(rows.map(({ cov, ...r }) => ({ ...r, cov: { BW: cov?.BW ?? Number.NaN } })));
    expect(comedByArm(ds)).toBeNull();
  });
});

describe('bodyWeightByArm', () => {
  it('lists baseline BW per subject with its arm and counts missing', () => {
    expect(bodyWeightByArm(buildDataset(rows))).toEqual({
      weights: [
        { subject: 0, id: '1', dose: 0, label: 'Placebo', bw: 60 },
        { subject: 1, id: '2', dose: 0, label: 'Placebo', bw: 80 },
        { subject: 2, id: '3', dose: 1, label: '1 mg', bw: 70 },
        { subject: 4, id: '5', dose: 1, label: '1 mg', bw: 90 },
      ],
      missing: 1,
    });
  });

  it('is null without a BW covariate', () => {
    expect(bodyWeightByArm(buildDataset(rows.map(({ cov: _, ...r }) => r)))).toBeNull();
  });
});
