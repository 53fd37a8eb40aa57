/**
 * The guard between training code and test subjects. A SplitView carries a `development` dataset
 * that physically holds only the training and validation subjects' records (test subjects keep
 * their index in `subjects`, so indices stay valid, but with no records, no covariate values and
 * no arm dose). The full dataset and the test subject indices come only from
 * `finalEvaluation(FINAL_EVALUATION)`, a call that must be written out on purpose.
 */
import type { Covariate, Dataset, EventRecords, Subject } from '../types';
import { EVID_OBSERVATION } from '../types';
import { copyEventRecords, emptyEventRecords } from '../event-records';
import type { SubjectSplit } from './split';

export const FINAL_EVALUATION = 'final-evaluation, test subjects only, after model selection' as const;
export type FinalEvaluationPurpose = typeof FINAL_EVALUATION;

export interface FinalEvaluationData {
  /** The full dataset. */
  dataset: Dataset;
  /** Indices of the test subjects in dataset.subjects. */
  test: readonly number[];
}

export interface SplitView {
  readonly name: string;
  readonly rule: string;
  readonly seed: number;
  /** Training subject indices (valid in both `development` and the full dataset). */
  readonly train: readonly number[];
  readonly val: readonly number[];
  /** How many subjects are withheld, and their IDs (labels only, for reporting). */
  readonly testCount: number;
  readonly testIds: readonly string[];
  /** Training + validation subjects' records only. */
  readonly development: Dataset;
  /** The withheld test subjects, for the final evaluation of a selected model. */
  finalEvaluation(purpose: FinalEvaluationPurpose): FinalEvaluationData;
}

/**
 * Builds the view. Reads the records of training and validation subjects only, and of the test
 * subjects nothing at all (neither records nor their Subject entries).
 */
export function createSplitView(dataset: Dataset, split: SubjectSplit): SplitView {
  const n = split.roles.length;
  if (n !== dataset.subjects.length)
    throw new Error(`splits: split ${split.name} covers ${n} subjects, the dataset has ${dataset.subjects.length}`);
  const testSet = new Set(split.test);
  const development = withoutSubjects(dataset, testSet, split.ids);
  const test = Object.freeze([...split.test]);
  return Object.freeze({
    name: split.name,
    rule: split.rule,
    seed: split.seed,
    train: Object.freeze([...split.train]),
    val: Object.freeze([...split.val]),
    testCount: test.length,
    testIds: Object.freeze(test.map((s) => split.ids[s])),
    development,
    finalEvaluation(purpose: FinalEvaluationPurpose): FinalEvaluationData {
      if (purpose !== FINAL_EVALUATION) throw new Error('splits: test subjects are only for the final evaluation');
      return { dataset, test };
    },
  });
}

function withoutSubjects(dataset: Dataset, withheld: ReadonlySet<number>, ids: readonly string[]): Dataset {
  const src = dataset.records;
  const nSubjects = dataset.subjects.length;
  let total = 0;
  for (let s = 0; s < nSubjects; s++) if (!withheld.has(s)) total += dataset.subjects[s].recordCount;
  const records: EventRecords = emptyEventRecords(total);
  const values = dataset.covariates.map(() => new Float64Array(total));
  const subjects: Subject[] = [];
  const observed = new Set<number>();
  let at = 0;
  for (let s = 0; s < nSubjects; s++) {
    if (withheld.has(s)) {
      subjects.push({
        id: ids[s],
        firstRecord: at,
        recordCount: 0,
        baseline: Object.fromEntries(dataset.covariates.map((c) => [c.name, Number.NaN])),
        armDose: Number.NaN,
        doseCount: 0,
        pkCount: 0,
        pdCount: 0,
      });
      continue;
    }
    const info = dataset.subjects[s];
    subjects.push({ ...info, baseline: { ...info.baseline }, firstRecord: at });
    const from = info.firstRecord;
    const to = from + info.recordCount;
    // Only this subject's records are touched: every column copied over its range, then covariates element by element.
    copyEventRecords(src, from, to, records, at);
    for (let k = from; k < to; k++, at++) {
      for (let c = 0; c < values.length; c++) values[c][at] = dataset.covariates[c].values[k];
      if (records.evid[at] === EVID_OBSERVATION && records.mdv[at] === 0) observed.add(records.dvid[at]);
    }
  }
  const covariates: Covariate[] = dataset.covariates.map((c, i) => ({ name: c.name, kind: c.kind, binary: c.binary, values: values[i] }));
  return {
    fileName: dataset.fileName,
    rowCount: total,
    format: { ...dataset.format, columns: [...dataset.format.columns] },
    records,
    covariates,
    subjects,
    observationTypes: dataset.observationTypes.filter((d) => observed.has(d)),
  };
}
