/**
 * A stable fingerprint of a dataset's content, so a saved model can record which data it was
 * trained on: 64-bit FNV-1a over the subject IDs, the event-record columns and the covariates
 * (names, kinds and values). The file name and source line numbers are left out: the same data
 * under another name, or with reordered blank lines, is the same data. NaN is hashed as one
 * canonical value (NaN payloads need not survive storage).
 *
 * It is computed once per dataset, in the ingest worker, and kept in the dataset's stored metadata
 * (src/store): hashing a 50 MB file's million rows takes a good part of a second, too long for the
 * page's main thread.
 */
import { EVENT_RECORD_COLUMN_NAMES } from './event-records';
import type { Dataset, EventRecords } from './types';

/** The event columns every version has hashed, in this order. */
const FIRST_COLUMNS: readonly (keyof EventRecords)[] = ['subject', 'time', 'dv', 'evid', 'mdv', 'amt', 'cmt', 'dvid'];
/** Not content: where a record came from in the file. */
const NOT_HASHED: readonly (keyof EventRecords)[] = ['sourceLine'];

const OFFSET_HI = 0xcbf29ce4;
/** Values hashed per block in `numbers`. */
const BLOCK = 4096;
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;
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

  /** `byte` for each of `count` bytes, in one loop (the same arithmetic). */
  bytes(data: Uint8Array, count = data.length): void {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < count; i++) {
      const x = (lo ^ data[i]) >>> 0;
      const product = x * PRIME_LOW_PART;
      hi = (Math.imul(hi, PRIME_LOW_PART) + Math.floor(product / 0x1_0000_0000) + (x << 8)) >>> 0;
      lo = product >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
  }

  /** The value as a little-endian float64, NaN as the canonical quiet NaN. */
  number(value: number): void {
    this.scratch.setFloat64(0, Number.isNaN(value) ? Number.NaN : value, true);
    for (let i = 0; i < 8; i++) this.byte(this.scratch.getUint8(i));
  }

  /** The count, then `number` of each value (in blocks of float64 bytes where the platform is little-endian). */
  numbers(values: ArrayLike<number>): void {
    this.number(values.length);
    if (!LITTLE_ENDIAN) {
      for (let i = 0; i < values.length; i++) this.number(values[i]);
      return;
    }
    const block = new Float64Array(Math.min(BLOCK, values.length));
    const blockBytes = new Uint8Array(block.buffer);
    for (let start = 0; start < values.length; start += BLOCK) {
      const n = Math.min(BLOCK, values.length - start);
      for (let i = 0; i < n; i++) {
        const v = values[start + i];
        block[i] = v === v ? v : Number.NaN;
      }
      this.bytes(blockBytes, n * 8);
    }
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

/** True when the column holds what a dataset without it means (see normalizeDataset): TIME as written, else 0. */
function isDefaultColumn(records: EventRecords, name: keyof EventRecords): boolean {
  const column = records[name];
  if (column === undefined) return true;
  if (name === 'sourceTime') {
    for (let i = 0; i < column.length; i++) if (!Object.is(column[i], records.time[i])) return false;
    return true;
  }
  for (let i = 0; i < column.length; i++) if (column[i] !== 0) return false;
  return true;
}

/** Fingerprints known for dataset objects (datasets are never changed once read). */
const known = new WeakMap<Dataset, string>();

/**
 * Records the fingerprint of this very dataset object, computed elsewhere (by the ingest worker, or
 * stored with the dataset), so that `datasetFingerprint` answers at once on the page's main thread.
 */
export function rememberFingerprint(dataset: Dataset, fingerprint: string): void {
  known.set(dataset, fingerprint);
}

/** 16 hex digits; equal for datasets with the same subjects, records and covariates. Computed once per object. */
export function datasetFingerprint(dataset: Dataset): string {
  const remembered = known.get(dataset);
  if (remembered !== undefined) return remembered;
  const fingerprint = computeFingerprint(dataset);
  known.set(dataset, fingerprint);
  return fingerprint;
}

function computeFingerprint(dataset: Dataset): string {
  const h = new Fnv1a64();
  h.number(dataset.subjects.length);
  for (const s of dataset.subjects) h.text(s.id);
  const r = dataset.records;
  for (const name of FIRST_COLUMNS) h.numbers(r[name]);
  // Columns added later (dosing: infusions, steady state, resets, occasions) count, by name, only where
  // they hold something: a dataset that uses none of them keeps the fingerprint it had before they
  // existed, so models saved earlier still match it.
  for (const name of EVENT_RECORD_COLUMN_NAMES) {
    if (FIRST_COLUMNS.includes(name) || NOT_HASHED.includes(name) || isDefaultColumn(r, name)) continue;
    h.text(name);
    h.numbers(r[name]);
  }
  h.number(dataset.covariates.length);
  for (const c of dataset.covariates) {
    h.text(c.name);
    h.text(c.kind);
    h.numbers(c.values);
  }
  return h.hex();
}
