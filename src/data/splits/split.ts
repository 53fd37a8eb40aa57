/**
 * Subject-level splits (which subject trains, validates, tests). These read only subject summaries
 * (arm dose, COMED baseline, ID), never records.
 *
 * - reference: EstData's published split (val IDs 16, 36, 46; test 19, 32, 48) when the file has
 *   those IDs with one per active arm in each set; otherwise the reference's rule: per active arm
 *   (arm dose > 0, at least 3 subjects) one subject to validation and one to test, drawn by a seeded
 *   PRNG; placebo subjects all train. A file with no active arm treats all subjects as one arm.
 * - cv: K-fold by subject (default 5). Subjects are stratified by arm × COMED (when a binary COMED
 *   covariate exists): strata in order (arm dose ascending, COMED 0 then 1), each shuffled, then
 *   dealt to folds round-robin with one running counter, so fold sizes differ by at most one and
 *   every arm is spread evenly. Fold f tests its own subjects; from the rest, validation takes one
 *   subject per active arm (seeded; the reference rule), placebo and everything else train.
 */
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

export const REFERENCE_VAL_IDS: readonly string[] = ['16', '36', '46'];
export const REFERENCE_TEST_IDS: readonly string[] = ['19', '32', '48'];
export const DEFAULT_SPLIT_SEED = 42;

function fromRoles(name: string, rule: string, seed: number, dataset: Dataset, roles: SplitRole[]): SubjectSplit {
  const pick = (role: SplitRole): number[] => roles.flatMap((r, s) => (r === role ? [s] : []));
  return { name, rule, seed, roles, ids: dataset.subjects.map((s) => s.id), train: pick('train'), val: pick('val'), test: pick('test') };
}

/** Active arms: subject indices by arm dose (ascending), file order within an arm. */
function activeArms(dataset: Dataset, among?: readonly number[]): number[][] {
  const arms = new Map<number, number[]>();
  const pool = among ?? dataset.subjects.map((_, s) => s);
  for (const s of pool) {
    const dose = dataset.subjects[s].armDose;
    if (!(dose > 0)) continue;
    const list = arms.get(dose);
    if (list) list.push(s);
    else arms.set(dose, [s]);
  }
  const out = [...arms.entries()].sort((a, b) => a[0] - b[0]).map(([, list]) => list);
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

export function referenceSplit(dataset: Dataset, seed = DEFAULT_SPLIT_SEED): SubjectSplit {
  const published = publishedSplit(dataset);
  if (published) {
    return fromRoles('reference', 'published reference split: val IDs 16, 36, 46; test IDs 19, 32, 48', seed, dataset, published);
  }
  const random = mulberry32(seed);
  const roles: SplitRole[] = dataset.subjects.map(() => 'train');
  for (const arm of activeArms(dataset)) {
    if (arm.length < 3) continue;
    const [v, t] = shuffled(arm, random);
    roles[v] = 'val';
    roles[t] = 'test';
  }
  return fromRoles(
    'reference',
    `per active arm one subject to validation and one to test (seed ${seed}); placebo trains`,
    seed,
    dataset,
    roles,
  );
}

export interface CrossValidationOptions {
  folds?: number;
  seed?: number;
  /** Stratify within arm by COMED (when a binary COMED covariate exists). Default true. */
  stratifyByComed?: boolean;
}

export function crossValidationSplits(dataset: Dataset, options: CrossValidationOptions = {}): SubjectSplit[] {
  const { folds = 5, seed = DEFAULT_SPLIT_SEED, stratifyByComed = true } = options;
  const n = dataset.subjects.length;
  if (!Number.isInteger(folds) || folds < 2 || folds > n) throw new Error(`splits: need 2 ≤ folds ≤ ${n} subjects, got ${folds}`);
  const random = mulberry32(seed);
  const comed = dataset.covariates.find((c) => c.name === 'COMED');
  const useComed = stratifyByComed && comed !== undefined && comed.binary;
  const strata = new Map<string, { dose: number; comed: number; subjects: number[] }>();
  dataset.subjects.forEach((subject, s) => {
    const dose = subject.armDose > 0 ? subject.armDose : 0;
    const c = useComed ? (subject.baseline.COMED ?? Number.NaN) : 0;
    const key = `${dose}|${c}`;
    const stratum = strata.get(key);
    if (stratum) stratum.subjects.push(s);
    else strata.set(key, { dose, comed: c, subjects: [s] });
  });
  const ordered = [...strata.values()].sort((a, b) => a.dose - b.dose || cmpNaNLast(a.comed, b.comed));
  const fold = new Int32Array(n);
  let counter = Math.floor(random() * folds);
  for (const stratum of ordered) {
    for (const s of shuffled(stratum.subjects, random)) fold[s] = counter++ % folds;
  }
  const rule = `${folds}-fold by subject, stratified by arm${useComed ? ' × COMED' : ''} (seed ${seed}); validation: one per active arm from the non-test subjects; placebo trains`;
  const splits: SubjectSplit[] = [];
  for (let f = 0; f < folds; f++) {
    const pickVal = mulberry32((seed ^ Math.imul(f + 1, 0x9e3779b1)) >>> 0);
    const roles: SplitRole[] = dataset.subjects.map((_, s) => (fold[s] === f ? 'test' : 'train'));
    const rest = roles.flatMap((r, s) => (r === 'train' ? [s] : []));
    for (const arm of activeArms(dataset, rest)) {
      if (arm.length < 2) continue;
      roles[shuffled(arm, pickVal)[0]] = 'val';
    }
    splits.push(fromRoles(`cv${folds}-fold${f + 1}`, rule, seed, dataset, roles));
  }
  return splits;
}

function cmpNaNLast(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}
