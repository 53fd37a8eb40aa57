/** Observation types the app models, by DVID. */
export const DVID_PK = 1;
export const DVID_PD = 2;
export const KNOWN_DVIDS: readonly number[] = [DVID_PK, DVID_PD];

export const EVID_OBSERVATION = 0;
export const EVID_DOSE = 1;

/**
 * Event records in columnar form, grouped by subject (subjects in order of first appearance,
 * records within a subject in file order). Missing numbers are NaN.
 */
export interface EventRecords {
  /** Index into Dataset.subjects. */
  subject: Int32Array;
  time: Float64Array;
  dv: Float64Array;
  /** 0 observation, 1 dose, 2 other event (kept, ignored by models). */
  evid: Uint8Array;
  /** 1 where the record carries no usable observation. */
  mdv: Uint8Array;
  amt: Float64Array;
  cmt: Float64Array;
  /** DVID of observations (1 PK, 2 PD); 0 on non-observation records. */
  dvid: Uint8Array;
  /** 1-based line of the file the record came from (the header is line 1). */
  sourceLine: Int32Array;
}

export type CovariateKind = 'subject' | 'time-varying';

export interface Covariate {
  /** Upper-case column name as in the file, e.g. BW, COMED, DOSE. */
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
  /** DVIDs with at least one observation, ascending. */
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
