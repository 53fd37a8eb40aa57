import { describe, expect, it } from 'vitest';
import { csvDataset, loadEstData } from './features/test-support';
import { datasetFingerprint, Fnv1a64 } from './fingerprint';

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

  it('gives EstData a stable value (saved models compare against it)', () => {
    expect(datasetFingerprint(loadEstData())).toBe(datasetFingerprint(structuredClone(loadEstData())));
    expect(datasetFingerprint(loadEstData())).toBe('43ce49c019bf6eba');
  });
});
