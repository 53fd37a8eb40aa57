import type { EventRecords } from './types';

type ColumnType = Int32ArrayConstructor | Float64ArrayConstructor | Uint8ArrayConstructor;

/** The typed array of every column of EventRecords (a column added to EventRecords fails to compile here until it is listed). */
export const EVENT_RECORD_COLUMNS: Readonly<Record<keyof EventRecords, ColumnType>> = {
  subject: Int32Array,
  time: Float64Array,
  sourceTime: Float64Array,
  occasion: Int32Array,
  dv: Float64Array,
  evid: Uint8Array,
  mdv: Uint8Array,
  amt: Float64Array,
  cmt: Float64Array,
  dvid: Float64Array,
  rate: Float64Array,
  duration: Float64Array,
  ss: Uint8Array,
  ii: Float64Array,
  reset: Uint8Array,
  sourceLine: Int32Array,
  blq: Uint8Array,
  lloq: Float64Array,
};

export const EVENT_RECORD_COLUMN_NAMES = Object.keys(EVENT_RECORD_COLUMNS) as (keyof EventRecords)[];

/** Zero-filled event records for `n` rows, one typed column per field. */
export function emptyEventRecords(n: number): EventRecords {
  const records: Partial<Record<keyof EventRecords, Int32Array | Float64Array | Uint8Array>> = {};
  for (const name of EVENT_RECORD_COLUMN_NAMES) records[name] = new EVENT_RECORD_COLUMNS[name](n);
  return records as EventRecords;
}

/**
 * Copies records [from, to) of `source` into `target` from index `at`, every column, element by
 * element: only those records of `source` are read (the split guard checks that test subjects' records
 * are never touched, and a subarray would be a view of the whole column).
 */
export function copyEventRecords(source: EventRecords, from: number, to: number, target: EventRecords, at: number): void {
  for (const name of EVENT_RECORD_COLUMN_NAMES) {
    const read = source[name];
    const into = target[name];
    for (let k = from; k < to; k++) into[at + k - from] = read[k];
  }
}
