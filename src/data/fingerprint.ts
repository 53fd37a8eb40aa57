/**
 * A stable fingerprint of a dataset's content, so a saved model can record which data it was
 * trained on: 64-bit FNV-1a over the subject IDs, the event-record columns and the covariates
 * (names, kinds and values). The file name and source line numbers are left out: the same data
 * under another name, or with reordered blank lines, is the same data. NaN is hashed as one
 * canonical value (NaN payloads need not survive storage).
 */
import type { Dataset } from './types';

const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;
/** The FNV-64 prime is 2^40 + 0x1b3. */
const PRIME_LOW_PART = 0x1b3;

/** 64-bit FNV-1a, fed byte by byte (exported for its test vectors). */
export class Fnv1a64 {
  private hi = OFFSET_HI;
  private lo = OFFSET_LO;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  byte(b: number): void {
    const lo = (this.lo ^ b) >>> 0;
    // h · (2^40 + 0x1b3) mod 2^64, in 32-bit halves: lo·0x1b3 is exact in a double (< 2^41).
    const product = lo * PRIME_LOW_PART;
    const carry = Math.floor(product / 0x1_0000_0000);
    this.hi = (Math.imul(this.hi, PRIME_LOW_PART) + carry + (lo << 8)) >>> 0;
    this.lo = product >>> 0;
  }

  number(value: number): void {
    this.scratch.setFloat64(0, value, true);
    for (let i = 0; i < 8; i++) this.byte(this.scratch.getUint8(i));
  }

  numbers(values: ArrayLike<number>): void {
    this.number(values.length);
    for (let i = 0; i < values.length; i++) this.number(values[i]);
  }

  text(value: string): void {
    this.number(value.length);
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      this.byte(code & 0xff);
      this.byte(code >>> 8);
    }
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

/** 16 hex digits; equal for datasets with the same subjects, records and covariates. */
export function datasetFingerprint(dataset: Dataset): string {
  const h = new Fnv1a64();
  h.number(dataset.subjects.length);
  for (const s of dataset.subjects) h.text(s.id);
  const r = dataset.records;
  for (const column of [r.subject, r.time, r.dv, r.evid, r.mdv, r.amt, r.cmt, r.dvid]) h.numbers(column);
  h.number(dataset.covariates.length);
  for (const c of dataset.covariates) {
    h.text(c.name);
    h.text(c.kind);
    h.numbers(c.values);
  }
  return h.hex();
}
