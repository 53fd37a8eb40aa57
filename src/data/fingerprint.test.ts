import { describe, expect, it } from 'vitest';
import { csvDataset, loadEstData } from './features/test-support';
import { datasetFingerprint, rememberFingerprint } from './fingerprint';
import { Fnv1a64 } from './hash';

const LINES = ['ID,TIME,DV,EVID,AMT,DVID,BW', '1,0,.,1,5,0,70', '1,1,2.5,0,0,1,70', '2,0,9.1,0,0,2,80'];

function fnvOf(text: string): string {
  const h = new Fnv1a64();
  for (const b of new TextEncoder().encode(text)) h.byte(b);
  return h.hex();
}

describe('datasetFingerprint', () => {
  it('implements 64-bit FNV-1a (published test vectors)', () => {
    expect(fnvOf('')).toBe('cbf29ce484222325');
    expect(fnvOf('a')).toBe('af63dc4c8601ec8c');
    expect(fnvOf('foobar')).toBe('85944171f73967e8');
  });

  it('is the same for the same data, whatever the file is called or however it travelled', () => {
    const a = csvDataset(LINES, 'a.csv');
    const b = csvDataset(LINES, 'renamed.csv');
    expect(datasetFingerprint(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(datasetFingerprint(b)).toBe(datasetFingerprint(a));
    expect(datasetFingerprint(structuredClone(a))).toBe(datasetFingerprint(a));
  });

  it('changes when a value, a subject ID or a covariate name changes', () => {
    const base = datasetFingerprint(csvDataset(LINES));
    const variants = [
      LINES.map((l) => l.replace('2.5', '2.6')),
      LINES.map((l) => l.replace(/^2,/, '3,')),
      LINES.map((l) => l.replace('BW', 'WT')),
      [...LINES, '2,5,8.0,0,0,2,80'],
    ];
    const prints = variants.map((lines) => datasetFingerprint(csvDataset(lines)));
    for (const p of prints) expect(p).not.toBe(base);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('counts the dosing columns added later only where a file uses them', () => {
    const base = datasetFingerprint(csvDataset(LINES));
    const infusion = LINES.map((l, i) => (i === 0 ? `${l},RATE` : i === 1 ? `${l},2.5` : `${l},0`));
    expect(datasetFingerprint(csvDataset(LINES.map((l, i) => (i === 0 ? `${l},RATE` : `${l},0`))))).toBe(base);
    expect(datasetFingerprint(csvDataset(infusion))).not.toBe(base);
  });

  it('gives EstData a stable value (saved models compare against it)', () => {
    expect(datasetFingerprint(loadEstData())).toBe(datasetFingerprint(structuredClone(loadEstData())));
    expect(datasetFingerprint(loadEstData())).toBe('43ce49c019bf6eba');
  });
});

describe('Fnv1a64.numbers', () => {
  it('hashes in blocks exactly as value by value, NaN payloads as the canonical NaN', () => {
    const values = new Float64Array(10_000);
    for (let i = 0; i < values.length; i++) values[i] = Math.sin(i) * 10 ** ((i % 40) - 20);
    values.set([Number.NaN, -0, 0, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE], 4090);
    // A NaN with another payload (a file read elsewhere, a copy through storage) is the same missing value.
    new DataView(values.buffer).setBigUint64(8 * 5000, 0x7ff8_0000_dead_beefn, true);
    const canonical = values.slice();
    canonical[5000] = Number.NaN;
    const byValue = new Fnv1a64();
    byValue.number(values.length);
    for (const v of canonical) {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, v, true);
      for (let b = 0; b < 8; b++) byValue.byte(view.getUint8(b));
    }
    const bulk = new Fnv1a64();
    bulk.numbers(values);
    expect(bulk.hex()).toBe(byValue.hex());
    const ints = new Fnv1a64();
    ints.numbers(Int32Array.from([1, -2, 3]));
    const asDoubles = new Fnv1a64();
    asDoubles.numbers([1, -2, 3]);
    expect(ints.hex()).toBe(asDoubles.hex());
  });
});

describe('remembered fingerprints', () => {
  it('answers with the fingerprint computed elsewhere for this very object, and computes each other one once', () => {
    const data = csvDataset(LINES);
    const copy = structuredClone(data);
    rememberFingerprint(data, 'from-the-worker');
    expect(datasetFingerprint(data)).toBe('from-the-worker');
    const computed = datasetFingerprint(copy);
    expect(computed).toMatch(/^[0-9a-f]{16}$/);
    copy.records.dv[1] = 99; // datasets are never changed once read: the first answer stands
    expect(datasetFingerprint(copy)).toBe(computed);
  });
});
