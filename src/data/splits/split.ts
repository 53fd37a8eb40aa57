/**
 * Subject-level splits (which subject trains, validates, tests). These read only subject summaries
 * (arm dose, baseline covariates, ID) — and, for a study grouped by regimen, the study binding's
 * group labels — never records of a withheld subject.
 *
 * Groups (`SplitGrouping`): the study's groups (its spec's `groupBy`: the values of a column, or the
 * subjects' regimens; see studyGrouping), ordered by their value; a group is active when its
 * subjects are dosed (arm dose > 0; placebo groups all train). Without a spec: the arms (arm dose).
 * - reference: EstData's published split (val IDs 16, 36, 46; test 19, 32, 48) when the file has
 *   those IDs with one per active arm in each set; otherwise the reference's rule: per active group
 *   (at least 3 subjects) one subject to validation and one to test, drawn by a seeded PRNG; placebo
 *   subjects all train. A file with no active group of 3 treats its dosed subjects (or, with none,
 *   all subjects) as one group.
 * - cv: K-fold by subject (default 5). Subjects are stratified by group × the grouping's strata
 *   columns (a study's 0/1 covariates with a factor effect in its model):
 *   strata in order (group ascending, then the strata values), each shuffled, then dealt to folds
 *   round-robin with one running counter, so fold sizes differ by at most one and every group is
 *   spread evenly. Fold f tests its own subjects; from the rest, validation takes one subject per
 *   active group (seeded; the reference rule), placebo and everything else train.
 * EstData's preset (its DOSE groups and its factor covariate) gives the reference split and the cv5 folds these
 * rules always gave (split.test.ts).
 */
import { findCovariate } from '../explore/covariate-lookup';
import type { StudySpec } from '../../study/study-spec';
import { bindStudy } from '../../study/study-data';
import type { Dataset } from '../types';
import { mulberry32, shuffled } from './prng';

export type SplitRole = 'train' | 'val' | 'test';

export interface SubjectSplit {
  /** e.g. 'reference', 'cv5-fold2'. */
  name: string;
  /** How it was made, for display. */
  rule: string;
  seed: number;
  /** Role per subject index (Dataset.subjects order). */
  roles: SplitRole[];
  /** Subject IDs as in the file, per subject index (for reporting). */
  ids: string[];
  train: number[];
  val: number[];
  test: number[];
}

/** How subjects are grouped for splits: per subject index, its group and its strata values. */
export interface SplitGrouping {
  /** Per subject index: its group's label, the value the groups are ordered by, and whether it is dosed (arm dose > 0). */
  readonly groups: readonly { readonly label: string; readonly order: number; readonly active: boolean }[];
  /** Names of the strata columns (besides the group), for the rule's text. */
  readonly strataNames: readonly string[];
  /** Per subject index: its values of the strata columns (NaN where missing). */
  readonly strata: readonly (readonly number[])[];
  /** What the groups are, for the rule's text ("arm", "DOSE", "regimen"). */
  readonly what: string;
}

/** The arms of a dataset (arm dose; placebo 0), with `strataColumns` (binary covariates only) as strata. */
export function armGrouping(dataset: Dataset, strataColumns: readonly string[] = []): SplitGrouping {
  const binary = strataColumns.flatMap((name) => {
    const c = findCovariate(dataset, name);
    return c && c.binary ? [c.name] : [];
  });
  return {
    what: 'arm',
    groups: dataset.subjects.map((s) => {
      const dose = s.armDose > 0 ? s.armDose : 0;
      return { label: String(dose), order: dose, active: dose > 0 };
    }),
    strataNames: binary,
    strata: dataset.subjects.map((s) => binary.map((name) => s.baseline[name] ?? Number.NaN)),
  };
}

/**
 * A study's grouping: the spec's `groupBy` groups (a column's values, ordered by value; or the
 * subjects' regimen labels, ordered by arm dose then label), active when dosed, and as strata the
 * 0/1 columns of the model's factor effects (e.g. dose groups × a co-medication flag).
 */
export function studyGrouping(dataset: Dataset, spec: StudySpec): SplitGrouping {
  const factors = [...new Set(spec.model.covariates.filter((c) => c.form === 'factor').map((c) => c.column.toUpperCase()))];
  const arms = armGrouping(dataset, factors);
  if (spec.groupBy === 'regimen') {
    const labels = new Map<number, string>();
    try {
      for (const s of bindStudy(dataset, spec).subjects) labels.set(s.index, s.group);
    } catch {
      // A file the study cannot bind keeps the arms.
      return arms;
    }
    return { ...arms, what: 'regimen', groups: arms.groups.map((g, s) => ({ ...g, label: labels.get(s) ?? g.label })) };
  }
  const column = findCovariate(dataset, spec.groupBy);
  if (!column) return arms;
  return {
    ...arms,
    what: column.name,
    groups: dataset.subjects.map((subject) => {
      const value = subject.baseline[column.name] ?? Number.NaN;
      return { label: `${column.name} ${value}`, order: Number.isNaN(value) ? Infinity : value, active: subject.armDose > 0 };
    }),
  };
}

export const REFERENCE_VAL_IDS: readonly string[] = ['16', '36', '46'];
export const REFERENCE_TEST_IDS: readonly string[] = ['19', '32', '48'];
export const DEFAULT_SPLIT_SEED = 42;

function fromRoles(name: string, rule: string, seed: number, dataset: Dataset, roles: SplitRole[]): SubjectSplit {
  const pick = (role: SplitRole): number[] => roles.flatMap((r, s) => (r === role ? [s] : []));
  return { name, rule, seed, roles, ids: dataset.subjects.map((s) => s.id), train: pick('train'), val: pick('val'), test: pick('test') };
}

/** Active groups: subject indices by group (in the groups' order), file order within a group. */
function activeGroups(dataset: Dataset, grouping: SplitGrouping, among?: readonly number[]): number[][] {
  const groups = new Map<string, { order: number; subjects: number[] }>();
  const pool = among ?? dataset.subjects.map((_, s) => s);
  for (const s of pool) {
    const g = grouping.groups[s];
    if (!g.active) continue;
    const entry = groups.get(g.label);
    if (entry) entry.subjects.push(s);
    else groups.set(g.label, { order: g.order, subjects: [s] });
  }
  const out = [...groups.entries()]
    .sort((a, b) => a[1].order - b[1].order || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, g]) => g.subjects);
  return out.length > 0 || pool.length === 0 ? out : [[...pool]];
}

function publishedSplit(dataset: Dataset): SplitRole[] | null {
  const index = new Map(dataset.subjects.map((s, i) => [s.id.trim(), i]));
  const val = REFERENCE_VAL_IDS.map((id) => index.get(id));
  const test = REFERENCE_TEST_IDS.map((id) => index.get(id));
  if ([...val, ...test].some((i) => i === undefined)) return null;
  const armOf = (i: number | undefined): number => dataset.subjects[i as number].armDose;
  const arms = [...new Set(dataset.subjects.map((s) => s.armDose).filter((d) => d > 0))].sort((a, b) => a - b);
  const same = (xs: (number | undefined)[]): boolean =>
    xs
      .map(armOf)
      .sort((a, b) => a - b)
      .join() === arms.join();
  if (!same(val) || !same(test)) return null;
  const roles: SplitRole[] = dataset.subjects.map(() => 'train');
  for (const i of val) roles[i as number] = 'val';
  for (const i of test) roles[i as number] = 'test';
  return roles;
}

export function referenceSplit(dataset: Dataset, seed = DEFAULT_SPLIT_SEED, grouping: SplitGrouping = armGrouping(dataset)): SubjectSplit {
  const published = publishedSplit(dataset);
  if (published) {
    return fromRoles('reference', 'published reference split: val IDs 16, 36, 46; test IDs 19, 32, 48', seed, dataset, published);
  }
  const random = mulberry32(seed);
  const roles: SplitRole[] = dataset.subjects.map(() => 'train');
  let groups = activeGroups(dataset, grouping).filter((g) => g.length >= 3);
  // No group of 3 (e.g. a single-dose study where every subject had its own dose): the dosed subjects as one group.
  let pooled = false;
  if (groups.length === 0) {
    const dosed = dataset.subjects.flatMap((_, i) => (grouping.groups[i].active ? [i] : []));
    groups = [dosed.length >= 3 ? dosed : dataset.subjects.map((_, i) => i)].filter((g) => g.length >= 3);
    pooled = groups.length > 0 && activeGroups(dataset, grouping).length > 1;
  }
  for (const group of groups) {
    const [v, t] = shuffled(group, random);
    roles[v] = 'val';
    roles[t] = 'test';
  }
  const what = groupWords(grouping);
  return fromRoles(
    'reference',
    pooled
      ? `no ${what} has 3 subjects: one subject of all to validation and one to test (seed ${seed}); placebo trains`
      : `per active ${what} one subject to validation and one to test (seed ${seed}); placebo trains`,
    seed,
    dataset,
    roles,
  );
}

export interface CrossValidationOptions {
  folds?: number;
  seed?: number;
  /** The groups and strata (default: the arms, no strata; a study's: studyGrouping). */
  grouping?: SplitGrouping;
}

export function crossValidationSplits(dataset: Dataset, options: CrossValidationOptions = {}): SubjectSplit[] {
  const { folds = 5, seed = DEFAULT_SPLIT_SEED } = options;
  const grouping = options.grouping ?? armGrouping(dataset);
  const n = dataset.subjects.length;
  if (!Number.isInteger(folds) || folds < 2 || folds > n) throw new Error(`splits: need 2 ≤ folds ≤ ${n} subjects, got ${folds}`);
  const random = mulberry32(seed);
  const strata = new Map<string, { order: number; label: string; values: readonly number[]; subjects: number[] }>();
  dataset.subjects.forEach((_, s) => {
    const { label, order } = grouping.groups[s];
    const values = grouping.strata[s];
    const key = `${label}|${values.join('|')}`;
    const stratum = strata.get(key);
    if (stratum) stratum.subjects.push(s);
    else strata.set(key, { order, label, values, subjects: [s] });
  });
  const byValues = (a: readonly number[], b: readonly number[]): number => {
    for (let i = 0; i < a.length; i++) {
      const c = cmpNaNLast(a[i], b[i]);
      if (c !== 0) return c;
    }
    return 0;
  };
  const ordered = [...strata.values()].sort(
    (a, b) => a.order - b.order || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || byValues(a.values, b.values),
  );
  const fold = new Int32Array(n);
  let counter = Math.floor(random() * folds);
  for (const stratum of ordered) {
    for (const s of shuffled(stratum.subjects, random)) fold[s] = counter++ % folds;
  }
  const what = groupWords(grouping);
  const rule = `${folds}-fold by subject, stratified by ${[what, ...grouping.strataNames].join(' × ')} (seed ${seed}); validation: one per active ${what} from the non-test subjects; placebo trains`;
  const splits: SubjectSplit[] = [];
  for (let f = 0; f < folds; f++) {
    const pickVal = mulberry32((seed ^ Math.imul(f + 1, 0x9e3779b1)) >>> 0);
    const roles: SplitRole[] = dataset.subjects.map((_, s) => (fold[s] === f ? 'test' : 'train'));
    const rest = roles.flatMap((r, s) => (r === 'train' ? [s] : []));
    for (const group of activeGroups(dataset, grouping, rest)) {
      if (group.length < 2) continue;
      roles[shuffled(group, pickVal)[0]] = 'val';
    }
    splits.push(fromRoles(`cv${folds}-fold${f + 1}`, rule, seed, dataset, roles));
  }
  return splits;
}

/** "arm", or "group (DOSE)". */
function groupWords(grouping: SplitGrouping): string {
  return grouping.what === 'arm' ? 'arm' : `group (${grouping.what})`;
}

function cmpNaNLast(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}
