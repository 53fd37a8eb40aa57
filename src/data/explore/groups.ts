/**
 * Groups of subjects as a study spec defines them (`groupBy`): by the value of a column ("DOSE 25"),
 * or by each subject's dosing ("10 mg oral, 21 doses every 24 h") — the labels the study binding
 * gives (src/study/study-data.ts), computed here without binding the whole study, so that the
 * explorer never fails over a covariate effect the fit would refuse. More groups than a plot can tell
 * apart are pooled into one, and the grouping says so.
 */
import type { DoseEvent } from '../../pkpd/structural/doses';
import { groupLabel, regimenLabel } from '../../study/study-data';
import type { StudySpec } from '../../study/study-spec';
import { type Dataset, EVID_DOSE, SS_RESET } from '../types';
import { baselineOf, findCovariate } from './covariate-lookup';

/** Most groups drawn apart; a grouping with more is pooled into one group of all subjects. */
export const GROUP_LIMIT = 12;

/** The group all subjects are pooled into. */
export const ALL_SUBJECTS = 'All subjects';

export interface SubjectGroup {
  label: string;
  /** True when at least one subject of the group has a dose. */
  dosed: boolean;
  /** Indices into Dataset.subjects, in dataset order. */
  subjects: number[];
}

export interface SubjectGrouping {
  /** The column the groups come from (as the file names it), or "regimen". */
  by: string;
  /** In order: by the column's value (missing last), or for regimens undosed first, then by dose. */
  groups: SubjectGroup[];
  /** How many groups there were when they were pooled into ALL_SUBJECTS; null when they were not. */
  pooled: number | null;
  /** Why the spec's groupBy was not used as written (a column the file lacks or that holds no numbers). */
  note: string | null;
}

/** Each subject's dose events as the study binding reads them (route from the spec, infusions by duration). */
function subjectDoses(dataset: Dataset, subject: number, oral: boolean): DoseEvent[] {
  const r = dataset.records;
  const s = dataset.subjects[subject];
  const doses: DoseEvent[] = [];
  for (let k = s.firstRecord; k < s.firstRecord + s.recordCount; k++) {
    if (r.evid[k] !== EVID_DOSE || !(r.amt[k] > 0)) continue;
    const infusion = r.duration[k] > 0;
    const dose: DoseEvent = { time: r.time[k], amount: r.amt[k], route: oral ? 'oral' : infusion ? 'infusion' : 'bolus' };
    if (infusion) dose.duration = r.duration[k];
    if (r.ss[k] === SS_RESET) dose.steadyState = { interval: r.ii[k] };
    doses.push(dose);
  }
  return doses;
}

interface Labelled {
  by: string;
  note: string | null;
  /** Group label of each subject. */
  labels: string[];
  /** Sort key of each subject's group. */
  order: Float64Array;
}

function labelSubjects(dataset: Dataset, spec: Pick<StudySpec, 'groupBy' | 'units' | 'model'>): Labelled {
  const n = dataset.subjects.length;
  const order = new Float64Array(n);
  let note: string | null = null;
  if (spec.groupBy !== 'regimen') {
    const column = findCovariate(dataset, spec.groupBy);
    if (column) {
      const labels = dataset.subjects.map((subject, s) => {
        const value = baselineOf(subject, column);
        order[s] = Number.isNaN(value) ? Number.POSITIVE_INFINITY : value;
        return groupLabel(column.name, value);
      });
      return { by: column.name, note, labels, order };
    }
    const present = dataset.format.columns.some((c) => c.trim().toUpperCase() === spec.groupBy.toUpperCase());
    note = present
      ? `${spec.groupBy} holds no numbers, so subjects are grouped by their dosing; choose another grouping in the study settings.`
      : `the file has no column ${spec.groupBy}, so subjects are grouped by their dosing; choose another grouping in the study settings.`;
  }
  const oral = spec.model.pk.route === 'oral';
  const labels = dataset.subjects.map((subject, s) => {
    order[s] = Number.isFinite(subject.armDose) ? subject.armDose : Number.POSITIVE_INFINITY;
    return regimenLabel(subjectDoses(dataset, s, oral), spec.units);
  });
  return { by: 'regimen', note, labels, order };
}

/** Each subject's group label, as the study binding would give it. */
export function subjectGroupLabels(dataset: Dataset, spec: Pick<StudySpec, 'groupBy' | 'units' | 'model'>): string[] {
  return labelSubjects(dataset, spec).labels;
}

/** The subjects' groups (pooled into one when there are more than `limit`). */
export function subjectGroups(
  dataset: Dataset,
  spec: Pick<StudySpec, 'groupBy' | 'units' | 'model'>,
  limit: number = GROUP_LIMIT,
): SubjectGrouping {
  const { by, note, labels, order } = labelSubjects(dataset, spec);
  const byLabel = new Map<string, SubjectGroup & { order: number }>();
  labels.forEach((label, s) => {
    let group = byLabel.get(label);
    if (!group) byLabel.set(label, (group = { label, dosed: false, subjects: [], order: order[s] }));
    group.subjects.push(s);
    if (dataset.subjects[s].doseCount > 0) group.dosed = true;
  });
  const sorted = [...byLabel.values()]
    .sort((a, b) => a.order - b.order || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .map(({ label, dosed, subjects }) => ({ label, dosed, subjects }));
  if (sorted.length <= limit) return { by, groups: sorted, pooled: null, note };
  const all: SubjectGroup = {
    label: ALL_SUBJECTS,
    dosed: sorted.some((g) => g.dosed),
    subjects: Array.from({ length: dataset.subjects.length }, (_, s) => s),
  };
  return { by, groups: [all], pooled: sorted.length, note };
}

/** Group index of each subject (−1 for none). */
export function groupIndexBySubject(dataset: Dataset, groups: readonly SubjectGroup[]): Int32Array {
  const out = new Int32Array(dataset.subjects.length).fill(-1);
  groups.forEach((group, g) => {
    for (const s of group.subjects) out[s] = g;
  });
  return out;
}
