/** Observation types the app models by default, by DVID (a study spec will choose; other DVIDs are kept). */
export const DVID_PK = 1;
export const DVID_PD = 2;
export const KNOWN_DVIDS: readonly number[] = [DVID_PK, DVID_PD];

/** Event kinds as stored in `EventRecords.evid` (see there for how the file's EVID maps onto them). */
export const EVID_OBSERVATION = 0;
export const EVID_DOSE = 1;
export const EVID_OTHER = 2;
export const EVID_RESET = 3;

/** NONMEM SS values as stored in `EventRecords.ss`. */
export const SS_NONE = 0;
/** The dose is the latest of an infinite series every II that has reached steady state; what came before is reset. */
export const SS_RESET = 1;
/** As SS_RESET, but the steady state is added to what came before (no reset). */
export const SS_ADD = 2;

/**
 * Event records in columnar form, grouped by subject (subjects in order of first appearance, records
 * within a subject in time order: file order, with the additional doses of ADDL merged in at their
 * times — after the file's records at the same time, so observations at a dose time stay before it).
 * Missing numbers are NaN.
 *
 * Time axis: `time` never decreases within a subject. Where a subject's TIME restarts (a new occasion,
 * read as a reset of the subject's compartments, see `reset`), the records of the new occasion are
 * shifted to start after the previous occasion ends (see `occasion`), so that plots, features and fits
 * that know nothing of occasions see one ordered history in which the occasions do not overlap;
 * `sourceTime` keeps TIME as written, for messages and for time within an occasion.
 *
 * Datasets stored before a column existed get it from `normalizeDataset` (src/data/normalize.ts).
 */
export interface EventRecords {
  /** Index into Dataset.subjects. */
  subject: Int32Array;
  /**
   * Analysis time (the file's time unit): TIME as written plus the offset of the record's occasion.
   * Offsets are 0 until a subject's TIME restarts; a restart at time t starts a new occasion whose
   * offset is the smallest multiple of OCCASION_TIME_ALIGN (24) that puts t at least OCCASION_TIME_GAP
   * (24) after the end of the previous occasion (its last record, additional dose or infusion end).
   * With TIME in hours and occasions that start at TIME 0, each occasion starts on a whole day, a day
   * or more after the previous one, and `time − sourceTime` is a whole number of days.
   */
  time: Float64Array;
  /** TIME as written in the file (for an additional dose from ADDL: the written TIME + k × II). */
  sourceTime: Float64Array;
  /**
   * 0 for a subject's records up to its first reset, then one more at each reset (`reset` = 1) after
   * its first record. An OCC column is only used to find where TIME restarts; its values are not kept.
   */
  occasion: Int32Array;
  dv: Float64Array;
  /**
   * 0 observation (EVID 0); 1 dose (EVID 1, EVID 4 — with `reset` — rxode2's EVID 101, a row with
   * AMT > 0 in a file without EVID, or an additional dose of ADDL); 2 other event (EVID 2, or a row
   * with neither AMT nor DV: kept, ignored by models); 3 reset only (EVID 3, with `reset` = 1).
   */
  evid: Uint8Array;
  /** 1 where the record carries no usable observation. */
  mdv: Uint8Array;
  /** Dose amount on dose records (> 0); 0 on other records. */
  amt: Float64Array;
  /** CMT as written (NaN when missing; 1 for rxode2's EVID 101 doses without a CMT). */
  cmt: Float64Array;
  /**
   * DVID of observations as written (any number; without a DVID column: 1 PK / 2 PD by the rule in
   * observation-types.ts); 0 on non-observation records.
   */
  dvid: Float64Array;
  /**
   * Zero-order infusion rate of a dose, in amount per time unit: RATE as written when RATE > 0, or
   * AMT / DUR for RATE = −2 (or DUR without a RATE column). 0 for a bolus or oral dose and on every
   * record that is not a dose.
   */
  rate: Float64Array;
  /** Infusion duration (time units): AMT / RATE, or DUR. 0 when the record is not an infusion. */
  duration: Float64Array;
  /**
   * NONMEM SS on a dose: SS_NONE (0), SS_RESET (1: steady state of doses every `ii`, resetting what
   * came before) or SS_ADD (2: the same steady state added without a reset). 0 on other records and
   * on the additional doses of ADDL (only the dose written in the file is at steady state).
   */
  ss: Uint8Array;
  /** Dosing interval II of a steady-state dose (`ss` > 0); 0 on every other record. */
  ii: Float64Array;
  /**
   * 1 where the subject's compartments are emptied just before this record is applied: EVID 3,
   * EVID 4, and the first record of a new occasion where TIME restarts (read as EVID 4). Else 0.
   */
  reset: Uint8Array;
  /** 1-based line of the file the record came from (the header is line 1); an additional dose has its ADDL record's line. */
  sourceLine: Int32Array;
  /**
   * 1 on an observation below the lower limit of quantification (left-censored, CENS = 1 or BLQ = 1:
   * src/data/censoring.ts): it is an observation (EVID 0, `mdv` 0) whose `dv` holds the limit, and
   * what it tells is only "below `lloq`" (the population fit uses it by Beal's M3). 0 elsewhere, and
   * on every record of a dataset stored before the column existed.
   */
  blq: Uint8Array;
  /**
   * Lower limit of quantification of an observation, where the file gives it (an LLOQ or LOQ column,
   * or the DV of a censored observation under CENS = 1); 0 where it does not, and on other records.
   */
  lloq: Float64Array;
}

export type CovariateKind = 'subject' | 'time-varying';

export interface Covariate {
  /** Upper-case column name as in the file, e.g. WT, SEX, DOSE. */
  name: string;
  kind: CovariateKind;
  /** Value per record (NaN where missing). */
  values: Float64Array;
  /** True when every non-missing value is 0 or 1. */
  binary: boolean;
}

export interface Subject {
  /** ID as written in the file. */
  id: string;
  firstRecord: number;
  recordCount: number;
  /** First non-missing value of each covariate for this subject (NaN if none). */
  baseline: Record<string, number>;
  /** Arm dose in mg: the DOSE covariate if the file has one, else the subject's most frequent AMT, 0 if undosed. */
  armDose: number;
  doseCount: number;
  pkCount: number;
  pdCount: number;
}

export interface FileFormat {
  delimiter: ',' | ';' | '\t';
  hadByteOrderMark: boolean;
  /** True when the file had no EVID column and dose/observation roles were inferred from AMT and DV. */
  inferredEvents: boolean;
  decimalComma: boolean;
  /** Columns of the file as written, in order. */
  columns: string[];
}

export interface Dataset {
  fileName: string;
  /** Data rows in the file (header excluded). */
  rowCount: number;
  format: FileFormat;
  records: EventRecords;
  covariates: Covariate[];
  subjects: Subject[];
  /** DVIDs with at least one usable observation (EVID 0, MDV 0), ascending: any DVID the file has, not only 1 and 2. */
  observationTypes: number[];
}

export type IssueSeverity = 'error' | 'warning';

export interface DataIssue {
  severity: IssueSeverity;
  /** Stable machine-readable code, e.g. 'missing-column'. */
  code: string;
  /** What is wrong, naming the file, line and column where they apply. */
  message: string;
  /** What the user can do about it. */
  hint: string;
  line?: number;
  column?: string;
  /** How many occurrences a grouped issue stands for ("140 more like the 10 above"); 1 when absent. */
  count?: number;
  /** Technical text of an unexpected failure, for a bug report; the message says it in words. */
  detail?: string;
}

export type IngestResult =
  | { ok: true; dataset: Dataset; warnings: DataIssue[] }
  | { ok: false; fileName: string; errors: DataIssue[]; warnings: DataIssue[]; omittedErrors: number };
