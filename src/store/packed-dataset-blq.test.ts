/** Stored datasets and the below-LOQ columns (blq, lloq): older ones load unchanged, new ones keep them. */
import { describe, expect, it } from 'vitest';
import { datasetFingerprint } from '../data/fingerprint';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { packDataset, unpackDataset, type PackedDataset } from './packed-dataset';

function ingest(text: string): Dataset {
  const result = ingestText(text, 'stored.csv');
  if (!result.ok) throw new Error('fixture rejected');
  return result.dataset;
}

describe('stored datasets and below-LOQ observations', () => {
  it('loads a dataset stored before blq and lloq existed unchanged: no observation censored, the same fingerprint', () => {
    const current = ingest(['ID,TIME,DV,AMT,WT', '1,0,.,100,70', '1,1,4.2,.,70', '1,12,0.3,.,70', '2,0,.,50,80', '2,2,3,.,80'].join('\n'));
    const fingerprint = datasetFingerprint(current);
    const packed = packDataset(current);
    const { blq: _blq, lloq: _lloq, ...older } = packed.records;
    const stored = structuredClone({ ...packed, records: older }) as unknown as PackedDataset;
    expect(Object.keys(stored.records)).not.toContain('blq');
    const loaded = unpackDataset(stored);
    expect(Array.from(loaded.records.blq)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(loaded.records.lloq)).toEqual([0, 0, 0, 0, 0]);
    expect(loaded.records).toEqual(current.records);
    expect(loaded.subjects).toEqual(current.subjects);
    expect(datasetFingerprint(loaded)).toBe(fingerprint);
  });

  it('keeps the censoring of a dataset stored with it, and a censored dataset has another fingerprint than the same values uncensored', () => {
    const text = (flag: number): string => ['ID,TIME,DV,AMT,CENS', '1,0,.,100,0', '1,1,4.2,.,0', `1,12,0.1,.,${flag}`].join('\n');
    const censored = ingest(text(1));
    const loaded = unpackDataset(structuredClone(packDataset(censored)));
    expect(Array.from(loaded.records.blq)).toEqual([0, 0, 1]);
    expect(Array.from(loaded.records.lloq)).toEqual([0, 0, 0.1]);
    expect(datasetFingerprint(loaded)).toBe(datasetFingerprint(censored));
    expect(datasetFingerprint(ingest(text(0)))).not.toBe(datasetFingerprint(censored));
  });
});
