import { describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { datasetBwRange, datasetComedShare, drawPopulation } from './virtual-population';
import { readEstDataCsv } from '../testing/fixture-files';

const ESTDATA = readEstDataCsv();

describe('virtual populations', () => {
  const effects = ['pk.cl', 'pd.base'];
  const base = drawPopulation({ size: 4000, seed: 11, scenario: { bwRange: [50, 100], comedShare: 0.5 }, randomEffects: effects });

  it('samples BW uniformly over the range, COMED at the share, and standard normal effects', () => {
    const bw = Array.from(base.bw);
    expect(Math.min(...bw)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...bw)).toBeLessThan(100);
    expect(bw.reduce((a, b) => a + b, 0) / bw.length).toBeCloseTo(75, 0);
    const share = Array.from(base.comed).reduce((a, b) => a + b, 0) / base.size;
    expect(Math.abs(share - 0.5)).toBeLessThan(0.03);
    for (const name of effects) {
      const z = Array.from(base.random[name]);
      const mean = z.reduce((a, b) => a + b, 0) / z.length;
      const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length);
      expect(Math.abs(mean)).toBeLessThan(0.05);
      expect(Math.abs(sd - 1)).toBeLessThan(0.04);
    }
  });

  it('keeps the same subjects across scenarios and seeds reproduce (common random numbers)', () => {
    const heavy = drawPopulation({ size: 4000, seed: 11, scenario: { bwRange: [70, 140], comedShare: 0.5 }, randomEffects: effects });
    const noComed = drawPopulation({ size: 4000, seed: 11, scenario: { bwRange: [50, 100], comedShare: 0 }, randomEffects: effects });
    const again = drawPopulation({
      size: 4000,
      seed: 11,
      scenario: { bwRange: [50, 100], comedShare: 0.5 },
      randomEffects: [...effects].reverse(),
    });
    for (let i = 0; i < base.size; i++) {
      expect((heavy.bw[i] - 70) / 70).toBeCloseTo((base.bw[i] - 50) / 50, 10);
      expect(heavy.comed[i]).toBe(base.comed[i]);
      expect(noComed.comed[i]).toBe(0);
      expect(noComed.bw[i]).toBe(base.bw[i]);
    }
    expect(again.random['pk.cl']).toEqual(base.random['pk.cl']);
    expect(again.bw).toEqual(base.bw);
    expect(base.random['pk.cl']).not.toEqual(base.random['pd.base']);
    const other = drawPopulation({ size: 10, seed: 12, scenario: base.scenario, randomEffects: effects });
    expect(other.bw[0]).not.toBe(base.bw[0]);
  });

  it('reads the trial’s COMED share and BW range from a dataset', () => {
    const result = ingestText(ESTDATA, 'EstData.csv');
    if (!result.ok) throw new Error('EstData did not ingest');
    expect(datasetComedShare(result.dataset)).toBe(0.5);
    const [lo, hi] = datasetBwRange(result.dataset)!;
    expect(lo).toBeGreaterThanOrEqual(50);
    expect(hi).toBeLessThanOrEqual(100);
  });

  it('reads the BW range of a dataset of 200,000 subjects (a spread into Math.min overflowed the stack)', () => {
    const subjects = Array.from({ length: 200_000 }, (_, i) => ({ baseline: { BW: 50 + (i % 51) } }));
    expect(datasetBwRange({ subjects } as unknown as Dataset)).toEqual([50, 100]);
  });

  it('rejects impossible settings', () => {
    expect(() => drawPopulation({ size: 0, seed: 1, scenario: base.scenario, randomEffects: [] })).toThrow(/subjects/);
    expect(() => drawPopulation({ size: 5, seed: 1, scenario: { bwRange: [100, 50], comedShare: 0 }, randomEffects: [] })).toThrow(/range/);
    expect(() => drawPopulation({ size: 5, seed: 1, scenario: { bwRange: [50, 100], comedShare: 2 }, randomEffects: [] })).toThrow(/COMED/);
  });
});
