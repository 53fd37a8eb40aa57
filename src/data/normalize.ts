/**
 * Datasets written by older versions of the app (stored in IndexedDB, or in a file) lack the event
 * columns added since: `sourceTime`, `occasion`, `rate`, `duration`, `ss`, `ii`, `reset`, `blq`,
 * `lloq`; and their `dvid` is a Uint8Array. `normalizeDataset` fills them with what those versions
 * meant — every dose a bolus or oral dose without steady state, no resets, one occasion, TIME as
 * written, no observation below a limit of quantification (those versions read none) — so that the
 * rest of the app sees one shape of Dataset.
 */
import { EVENT_RECORD_COLUMN_NAMES, EVENT_RECORD_COLUMNS } from './event-records';
import type { Dataset, EventRecords } from './types';

/** A dataset as an older version stored it: any event column may be missing (or of an older type). */
export type StoredDataset = Omit<Dataset, 'records'> & { records: Partial<Record<keyof EventRecords, ArrayLike<number>>> };

/** Columns every version has had: a dataset without one is damaged, not old. */
const ORIGINAL_COLUMNS: readonly (keyof EventRecords)[] = ['subject', 'time', 'dv', 'evid', 'mdv', 'amt', 'cmt', 'dvid', 'sourceLine'];

/**
 * The dataset with every event column present, of its current type. Returns `dataset` itself when
 * nothing is missing; otherwise a new Dataset object sharing the columns that were there (nothing
 * is changed in place). Throws an Error naming the column when the data are damaged: an original
 * column missing, or a column whose length differs from the records'.
 */
export function normalizeDataset(dataset: StoredDataset | Dataset): Dataset {
  const stored = dataset.records;
  const missing = ORIGINAL_COLUMNS.find((name) => stored[name] === undefined);
  if (missing !== undefined) throw new Error(`The stored dataset ${dataset.fileName} is damaged: its records have no ${missing} column.`);
  const n = (stored.time as ArrayLike<number>).length;
  for (const name of EVENT_RECORD_COLUMN_NAMES) {
    const column = stored[name];
    if (column !== undefined && column.length !== n) {
      throw new Error(
        `The stored dataset ${dataset.fileName} is damaged: its ${name} column has ${column.length} values for ${n} records.`,
      );
    }
  }
  if (EVENT_RECORD_COLUMN_NAMES.every((name) => stored[name] instanceof EVENT_RECORD_COLUMNS[name])) return dataset as Dataset;

  const records = {} as Record<keyof EventRecords, Int32Array | Float64Array | Uint8Array>;
  for (const name of EVENT_RECORD_COLUMN_NAMES) {
    const Column = EVENT_RECORD_COLUMNS[name];
    const column = stored[name];
    if (column instanceof Column) records[name] = column;
    // An older type (dvid was a Uint8Array): the same values in the current type.
    else if (column !== undefined) records[name] = Column.from(column);
    // Before occasions, the time axis was TIME as written.
    else if (name === 'sourceTime') records[name] = Float64Array.from(stored.time as ArrayLike<number>);
    // Every other new column means "none" at 0: no infusion, no steady state, no reset, occasion 0, no censoring.
    else records[name] = new Column(n);
  }
  return { ...dataset, records: records as unknown as EventRecords };
}
