import { describe, expect, it } from 'vitest';
import { EVENT_RECORD_COLUMN_NAMES, EVENT_RECORD_COLUMNS } from './event-records';
import { ingestText } from './ingest';
import { normalizeDataset, type StoredDataset } from './normalize';
import type { Dataset } from './types';

function dataset(): Dataset {
  const result = ingestText(
    [
      'ID,TIME,DV,EVID,MDV,AMT,CMT,DVID,BW',
      '1,0,.,1,1,5,1,0,70',
      '1,2,3.1,0,0,0,2,1,70',
      '1,4,9.5,0,0,0,3,2,70',
      '2,1,2.0,0,0,0,2,1,80',
    ].join('\n'),
    'old.csv',
  );
  if (!result.ok) throw new Error('fixture rejected');
  return result.dataset;
}

/** The dataset as a version before dosing columns stored it: no sourceTime, occasion, rate, duration, ss, ii, reset; dvid a Uint8Array. */
function asStoredByOlderVersion(current: Dataset): StoredDataset {
  const { subject, time, dv, evid, mdv, amt, cmt, dvid, sourceLine } = current.records;
  const old = { ...current, records: { subject, time, dv, evid, mdv, amt, cmt, dvid: Uint8Array.from(dvid), sourceLine } };
  return structuredClone(old);
}

describe('normalizeDataset', () => {
  it('fills the columns an older version did not store with what it meant', () => {
    const current = dataset();
    const old = asStoredByOlderVersion(current);
    expect(Object.keys(old.records)).not.toContain('rate');
    const normalized = normalizeDataset(old);
    for (const name of EVENT_RECORD_COLUMN_NAMES) {
      expect(normalized.records[name], name).toBeInstanceOf(EVENT_RECORD_COLUMNS[name]);
      expect(normalized.records[name]).toHaveLength(4);
    }
    expect(Array.from(normalized.records.sourceTime)).toEqual([0, 2, 4, 1]);
    expect(Array.from(normalized.records.dvid)).toEqual([0, 1, 2, 1]);
    for (const name of ['rate', 'duration', 'ss', 'ii', 'reset', 'occasion'] as const) {
      expect(Array.from(normalized.records[name]), name).toEqual([0, 0, 0, 0]);
    }
    // The same records as a dataset read now, and the old object untouched.
    expect(normalized.records).toEqual(current.records);
    expect(normalized.subjects).toEqual(current.subjects);
    expect(old.records.dvid).toBeInstanceOf(Uint8Array);
    expect(old.records.rate).toBeUndefined();
  });

  it('returns a current dataset itself', () => {
    const current = dataset();
    expect(normalizeDataset(current)).toBe(current);
  });

  it('refuses damaged records, naming the column', () => {
    const old = asStoredByOlderVersion(dataset());
    const withoutTime = { ...old.records };
    delete withoutTime.time;
    expect(() => normalizeDataset({ ...old, records: withoutTime })).toThrow(
      'The stored dataset old.csv is damaged: its records have no time column.',
    );
    expect(() => normalizeDataset({ ...old, records: { ...old.records, rate: new Float64Array(3) } })).toThrow(
      'its rate column has 3 values for 4 records',
    );
  });
});
