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
import { Fnv1a64 } from './hash';
import type { Dataset, EventRecords } from './types';

/** The 64-bit FNV-1a of hash.ts, where other code has long imported it from. */
export { Fnv1a64 };

/** The event columns every version has hashed, in this order. */
const FIRST_COLUMNS: readonly (keyof EventRecords)[] = ['subject', 'time', 'dv', 'evid', 'mdv', 'amt', 'cmt', 'dvid'];
/** Not content: where a record came from in the file. */
const NOT_HASHED: readonly (keyof EventRecords)[] = ['sourceLine'];

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
