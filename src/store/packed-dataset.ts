/**
 * A dataset in the form it is stored in IndexedDB and sent between the ingest worker and the page:
 * the per-subject objects turned into columns. Copying typed arrays (structured clone, IndexedDB)
 * costs a memcpy, while copying one object per subject costs microseconds each: 150,000 subjects
 * took 0.4 s to clone as objects, on the thread that receives them — the page's main thread.
 * Building the objects again from the columns (`unpackDataset`) is a plain loop, a tenth of that.
 */
import { datasetFingerprint } from '../data/fingerprint';
import { normalizeDataset } from '../data/normalize';
import type { DataIssue, Dataset, IngestResult, Subject } from '../data/types';
import { proposedStudy } from './dataset-study';
import type { DatasetStudy } from './schema';

/** Dataset.subjects as columns, one entry per subject. */
export interface PackedSubjects {
  count: number;
  /** Every subject's ID, one after the other; subject s is ids.slice(idEnds[s - 1] ?? 0, idEnds[s]). */
  ids: string;
  idEnds: Uint32Array;
  firstRecord: Int32Array;
  recordCount: Int32Array;
  armDose: Float64Array;
  doseCount: Int32Array;
  pkCount: Int32Array;
  pdCount: Int32Array;
  /** Subject.baseline: the names of its entries (in order) and, per name, the value of every subject. */
  baselineNames: string[];
  baselines: Float64Array[];
}

export interface PackedDataset extends Omit<Dataset, 'subjects'> {
  subjects: PackedSubjects;
}

/**
 * What the ingest worker sends the page: the packed dataset, its fingerprint and the study spec
 * proposed for it (the demo's preset, else a guess: src/study/guess-spec.ts), computed there once.
 */
export type PackedIngestResult =
  | { ok: true; dataset: PackedDataset; fingerprint: string; warnings: DataIssue[]; study: DatasetStudy }
  | Extract<IngestResult, { ok: false }>;

/** Every field of Subject (a field added to Subject fails to compile here until the packed form carries it). */
export const PACKED_SUBJECT_FIELDS: Readonly<Record<keyof Subject, true>> = {
  id: true,
  firstRecord: true,
  recordCount: true,
  baseline: true,
  armDose: true,
  doseCount: true,
  pkCount: true,
  pdCount: true,
};

export function packDataset(dataset: Dataset): PackedDataset {
  const subjects = dataset.subjects;
  const n = subjects.length;
  const baselineNames = n > 0 ? Object.keys(subjects[0].baseline) : [];
  const packed: PackedSubjects = {
    count: n,
    ids: '',
    idEnds: new Uint32Array(n),
    firstRecord: new Int32Array(n),
    recordCount: new Int32Array(n),
    armDose: new Float64Array(n),
    doseCount: new Int32Array(n),
    pkCount: new Int32Array(n),
    pdCount: new Int32Array(n),
    baselineNames,
    baselines: baselineNames.map(() => new Float64Array(n)),
  };
  const ids: string[] = new Array<string>(n);
  let end = 0;
  for (let s = 0; s < n; s++) {
    const subject = subjects[s];
    ids[s] = subject.id;
    end += subject.id.length;
    packed.idEnds[s] = end;
    packed.firstRecord[s] = subject.firstRecord;
    packed.recordCount[s] = subject.recordCount;
    packed.armDose[s] = subject.armDose;
    packed.doseCount[s] = subject.doseCount;
    packed.pkCount[s] = subject.pkCount;
    packed.pdCount[s] = subject.pdCount;
    const keys = Object.keys(subject.baseline);
    if (keys.length !== baselineNames.length || keys.some((k, i) => k !== baselineNames[i]))
      throw new Error(`Subject ${subject.id} has other baseline covariates than the first subject: the dataset cannot be stored.`);
    for (let b = 0; b < baselineNames.length; b++) packed.baselines[b][s] = subject.baseline[baselineNames[b]];
  }
  packed.ids = ids.join('');
  const { subjects: _subjects, ...rest } = dataset;
  return { ...rest, subjects: packed };
}

/** The dataset again, with any event column that an older version did not store filled in (normalizeDataset). */
export function unpackDataset(packed: PackedDataset): Dataset {
  const p = packed.subjects;
  const subjects: Subject[] = new Array<Subject>(p.count);
  const names = p.baselineNames;
  for (let s = 0; s < p.count; s++) {
    const baseline: Record<string, number> = {};
    for (let b = 0; b < names.length; b++) {
      // A covariate named __proto__ is an own entry, as in the object the ingest built.
      if (names[b] === '__proto__')
        Object.defineProperty(baseline, names[b], { value: p.baselines[b][s], enumerable: true, writable: true, configurable: true });
      else baseline[names[b]] = p.baselines[b][s];
    }
    subjects[s] = {
      id: p.ids.slice(s > 0 ? p.idEnds[s - 1] : 0, p.idEnds[s]),
      firstRecord: p.firstRecord[s],
      recordCount: p.recordCount[s],
      baseline,
      armDose: p.armDose[s],
      doseCount: p.doseCount[s],
      pkCount: p.pkCount[s],
      pdCount: p.pdCount[s],
    };
  }
  const { subjects: _packed, ...rest } = packed;
  return normalizeDataset({ ...rest, subjects });
}

/** The ingest worker's answer to the page: a packed dataset with its fingerprint and proposed study, or the errors unchanged. */
export function packIngestResult(result: IngestResult): PackedIngestResult {
  if (!result.ok) return result;
  const fingerprint = datasetFingerprint(result.dataset);
  return {
    ok: true,
    dataset: packDataset(result.dataset),
    fingerprint,
    warnings: result.warnings,
    study: proposedStudy(result.dataset, fingerprint),
  };
}

/** The buffers of a packed dataset's columns, each once: to move it between threads rather than copy it. */
export function packedBuffers(dataset: PackedDataset): ArrayBuffer[] {
  const { records, covariates, subjects } = dataset;
  const arrays: ArrayBufferView[] = [
    ...(Object.values(records) as ArrayBufferView[]),
    ...covariates.map((c) => c.values),
    subjects.idEnds,
    subjects.firstRecord,
    subjects.recordCount,
    subjects.armDose,
    subjects.doseCount,
    subjects.pkCount,
    subjects.pdCount,
    ...subjects.baselines,
  ];
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return [...buffers];
}

/** The buffers of a packed result's columns (none for a failure). */
export function transferablesOf(result: PackedIngestResult): ArrayBuffer[] {
  return result.ok ? packedBuffers(result.dataset) : [];
}
