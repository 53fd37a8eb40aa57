import { describe, expect, it } from 'vitest';
import { datasetFingerprint } from '../data/fingerprint';
import { ingestText } from '../data/ingest';
import { loadEstData } from '../data/features/test-support';
import type { Dataset } from '../data/types';
import { packDataset, packIngestResult, PACKED_SUBJECT_FIELDS, transferablesOf, unpackDataset } from './packed-dataset';

function ingest(csv: string): Dataset {
  const result = ingestText(csv, 'file.csv');
  if (!result.ok) throw new Error(result.errors[0].message);
  return result.dataset;
}

describe('packed datasets', () => {
  it('give back the same dataset, every subject field included (EstData)', () => {
    const data = loadEstData();
    const packed = packDataset(data);
    expect(Array.isArray(packed.subjects)).toBe(false);
    expect(packed.subjects.count).toBe(48);
    const back = unpackDataset(structuredClone(packed));
    expect(back).toEqual(data);
    expect(Object.keys(back.subjects[0]).sort()).toEqual(Object.keys(PACKED_SUBJECT_FIELDS).sort());
    expect(datasetFingerprint(back)).toBe('43ce49c019bf6eba');
  });

  it('keep odd IDs and covariate names as they were, with no prototype touched', () => {
    const data = ingest('ID,TIME,DV,EVID,AMT,DVID,__PROTO__,CONSTRUCTOR\nä,0,.,1,5,0,1,2\nä,1,2,0,0,1,1,2\n"x,y",0,3,0,0,2,.,4\n');
    const back = unpackDataset(packDataset(data));
    expect(back).toEqual(data);
    expect(back.subjects.map((s) => s.id)).toEqual(data.subjects.map((s) => s.id));
    expect(Object.getPrototypeOf(back.subjects[0].baseline)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).CONSTRUCTOR).toBeUndefined();
  });

  it('carry a dataset of no subjects', () => {
    const data = { ...ingest('ID,TIME,DV\n1,0,3\n'), subjects: [] };
    expect(unpackDataset(packDataset(data))).toEqual(data);
  });

  it('travel from the ingest worker with the fingerprint and each buffer once', async () => {
    const csv = 'ID,TIME,DV,EVID,AMT,DVID,BW\n1,0,.,1,5,0,70\n1,1,2.5,0,0,1,70\n2,0,9.1,0,0,2,80\n';
    const expected = ingest(csv);
    const packed = packIngestResult(ingestText(csv, 'file.csv'));
    if (!packed.ok) throw new Error('fixture must ingest');
    expect(packed.fingerprint).toBe(datasetFingerprint(expected));
    const buffers = transferablesOf(packed);
    expect(new Set(buffers).size).toBe(buffers.length);
    // Moving them leaves a message the page can read, and the sender's copies empty.
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<unknown>((resolve) => (port2.onmessage = (event) => resolve(event.data)));
    port1.postMessage(packed, buffers);
    const arrived = (await received) as typeof packed;
    port1.close();
    port2.close();
    expect(unpackDataset(arrived.dataset)).toEqual(expected);
    expect(packed.dataset.records.time.length).toBe(0);
    // The study spec proposed for it travels along: a guess from its data, not yet confirmed.
    expect(arrived.study).toMatchObject({ confirmed: false, source: 'guess', spec: { endpoints: { pk: { dvid: 1 }, pd: { dvid: 2 } } } });
    const failed = packIngestResult(ingestText('ID,DV\n1,3\n', 'bad.csv'));
    expect(failed.ok).toBe(false);
    expect(transferablesOf(failed)).toEqual([]);
  });
});
