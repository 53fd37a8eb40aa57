/**
 * Baseline PD as an input of a hybrid model's covariate network (issue 13, item 1: "plus baseline PD
 * where the spec's model uses it"): each subject's response before its first dose — the last PD
 * observation at or before it, as the direct head's feature reads it
 * (src/data/features/subject-records.ts) — enters the network (and the linear part) as the covariate
 * column BASELINE_PD_COLUMN, so the typical prediction starts where the subject starts instead of
 * leaving its baseline to η. Used when the study's PD model has a baseline parameter (E0 or BASE)
 * and most training subjects were observed before their first dose. The pre-dose observation is
 * then both an input and an observation of the likelihood, as in the usual "baseline as covariate"
 * approach of PK/PD modelling.
 *
 * Virtual subjects of the dose questions have no observation: each draws its baseline from the
 * training subjects' empirical distribution among those with the same values of the network's 0/1
 * inputs (its strata), at the quantile Φ(z) of its standard-normal draw of the stream the direct
 * head's simulator uses (src/dose/network-simulator.ts `BASELINE_PD_EFFECT`): the same subject has
 * the same baseline at every dose and for both heads (common random numbers), and a scenario that
 * sets a 0/1 covariate moves the subject into that stratum's distribution. A population that carries
 * the column itself (e.g. a benchmark's typical subjects) keeps its values.
 */
import { normalCdf } from '../../pkpd/random';
import type { StudySubject } from '../../study/study-data';
import type { StudySpec } from '../../study/study-spec';

/** The covariate column of a subject's baseline PD (not a name a data column can have). */
export const BASELINE_PD_COLUMN = '@PD0';
/** The share of training subjects with a pre-dose PD observation for the baseline to be an input. */
const MIN_OBSERVED_SHARE = 0.5;

/** The training subjects' baselines by stratum: sorted values per key of the strata's 0/1 values ("" = all). */
export interface HybridBaseline {
  /** The network's 0/1 input columns the baseline is conditioned on. */
  readonly strata: readonly string[];
  readonly groups: Readonly<Record<string, readonly number[]>>;
}

/**
 * The baseline PD rule: the last of the PD levels (in time order) at or before the first dose — at
 * or before time 0 when there is no dose; NaN when there is none. A trial subject's
 * (`subjectBaselinePd`) and a patient's (hybrid-patient-model.ts `patientBaselinePd`).
 */
export function baselineBeforeFirstDose(doseTimes: readonly number[], pdTimes: ArrayLike<number>, pdValues: ArrayLike<number>): number {
  const firstDose = doseTimes.reduce((a, b) => Math.min(a, b), Infinity);
  const anchor = Number.isFinite(firstDose) ? firstDose : 0;
  let value = Number.NaN;
  for (let j = 0; j < pdTimes.length; j++) if (pdTimes[j] <= anchor) value = pdValues[j];
  return value;
}

/** A subject's last PD observation at or before its first dose (NaN: none). */
export function subjectBaselinePd(subject: StudySubject): number {
  return baselineBeforeFirstDose(
    subject.segments.flatMap((s) => s.doses.map((d) => d.time)),
    subject.pd.times,
    subject.pd.values,
  );
}

/** The subjects with their baseline PD as the covariate BASELINE_PD_COLUMN. */
export function withBaselinePd(subjects: readonly StudySubject[]): StudySubject[] {
  return subjects.map((s) => ({ ...s, covariates: { ...s.covariates, [BASELINE_PD_COLUMN]: subjectBaselinePd(s) } }));
}

/** Whether a study's hybrid model reads the baseline: a PD model with a baseline parameter, most training subjects observed before dosing. */
export function usesBaselinePd(spec: StudySpec, training: readonly StudySubject[]): boolean {
  const pd = spec.model.pd;
  if (!pd || !spec.endpoints.pd || training.length === 0) return false;
  const observed = training.filter((s) => Number.isFinite(subjectBaselinePd(s))).length;
  return observed >= MIN_OBSERVED_SHARE * training.length;
}

const key = (values: readonly number[]): string => values.map((v) => (v === 1 ? 1 : 0)).join('|');

/** The training subjects' baselines by the strata of the network's 0/1 inputs (each subject's covariates hold BASELINE_PD_COLUMN). */
export function baselineGroups(training: readonly StudySubject[], inputs: readonly string[]): HybridBaseline {
  const strata = inputs.filter(
    (c) =>
      c !== BASELINE_PD_COLUMN &&
      training.every((s) => !Number.isFinite(s.covariates[c]) || s.covariates[c] === 0 || s.covariates[c] === 1),
  );
  const groups: Record<string, number[]> = { '': [] };
  for (const s of training) {
    const b = s.covariates[BASELINE_PD_COLUMN];
    if (!Number.isFinite(b)) continue;
    groups[''].push(b);
    if (strata.length > 0) (groups[key(strata.map((c) => s.covariates[c]))] ??= []).push(b);
  }
  for (const values of Object.values(groups)) values.sort((a, b) => a - b);
  return { strata, groups };
}

/** Baselines of virtual subjects: from their stratum's training values (all of them when it has none) at the quantile Φ(z). */
export function drawBaselines(
  baseline: HybridBaseline,
  covariates: Readonly<Record<string, Float64Array | undefined>>,
  z: Float64Array,
): Float64Array {
  const strata = baseline.strata.map((c) => covariates[c]);
  return Float64Array.from(z, (zi, i) => {
    const own = baseline.groups[key(strata.map((values) => values?.[i] ?? 0))];
    const group = own && own.length > 0 ? own : baseline.groups[''];
    return group.length === 0 ? Number.NaN : group[Math.min(group.length - 1, Math.floor(normalCdf(zi) * group.length))];
  });
}
