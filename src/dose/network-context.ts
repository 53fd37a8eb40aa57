/**
 * What a network dose simulator needs to know about the subjects its model was trained on, read
 * from those subjects only (never the withheld test subjects): their pre-dose PD with their values
 * of the model's 0/1 covariates (`strata`: virtual subjects draw their baseline PD from the training
 * subjects of the same stratum), their covariates by name (the trial
 * a virtual population resamples from), the time span of their observations (how far the
 * absolute-time features were seen) and the range of every input feature on their rows (to report
 * where simulated histories leave it).
 */
import { readSubjectRecords } from '../data/features/subject-records';
import { targetSelector } from '../data/features/spec';
import type { Dataset } from '../data/types';
import { observationRows, type PkPdModel } from '../model/pkpd-model';
import { DoseSettingsError } from './errors';
import type { TrialCovariates } from './virtual-population';

export interface TrainingBaseline {
  /** Pre-dose PD (the response endpoint's unit). */
  pd: number;
  /** The subject's value of each of the context's `strata` columns, in that order. */
  strata: number[];
}

export interface NetworkTrainingContext {
  /** The model's 0/1 covariates (as the model's features name them) that the baseline PD is conditioned on. */
  strata: string[];
  /** Training subjects with a pre-dose PD. */
  baselines: TrainingBaseline[];
  /** The training subjects' baseline covariates by upper-case column name (every numeric column), for resampling. */
  trial: TrialCovariates;
  /** Largest history time (the TIME feature: from the record's or its occasion's start) on the training rows. */
  maxTime: number;
  /** [min, max] of each raw input feature on the training rows, per branch name, then feature name. */
  featureRanges: Record<string, Record<string, [number, number]>>;
}

/** The context from the training subjects (indices into `dataset.subjects`). */
export function networkTrainingContext(model: PkPdModel, dataset: Dataset, subjects: readonly number[]): NetworkTrainingContext {
  if (subjects.length === 0) throw new Error('networkTrainingContext: no training subjects given');
  const features = model.branches.map((b) => b.featureModel.spec);
  const used = [...new Set(features.flatMap((f) => f.covariates))];
  const strata = used.filter((name) => dataset.covariates.find((c) => c.name === name)?.binary === true);
  const pdSelector = features.length > 0 ? targetSelector(features[0], 'pd') : undefined;
  const baselines: TrainingBaseline[] = [];
  for (const s of subjects) {
    const rec = readSubjectRecords(dataset, s, Number.NaN, pdSelector);
    const values = dataset.subjects[s].baseline;
    if (Number.isFinite(rec.baselinePd)) baselines.push({ pd: rec.baselinePd, strata: strata.map((name) => (values[name] === 1 ? 1 : 0)) });
  }
  const columns = dataset.covariates.map((c) => c.name);
  const trial: TrialCovariates = {
    columns: columns.map((c) => c.toUpperCase()),
    rows: subjects.map((s) => Float64Array.from(columns, (c) => dataset.subjects[s].baseline[c] ?? Number.NaN)),
  };
  let maxTime = 0;
  const featureRanges: NetworkTrainingContext['featureRanges'] = {};
  for (const branch of model.branches) {
    const names = branch.featureModel.names;
    const ranges = names.map((): [number, number] => [Infinity, -Infinity]);
    for (const target of branch.targets) {
      const set = observationRows(dataset, branch.featureModel, target, subjects);
      for (let r = 0; r < set.nRows; r++) {
        for (let f = 0; f < names.length; f++) {
          const v = set.matrix[r * names.length + f];
          if (v < ranges[f][0]) ranges[f][0] = v;
          if (v > ranges[f][1]) ranges[f][1] = v;
        }
      }
    }
    featureRanges[branch.name] = Object.fromEntries(names.map((name, f) => [name, ranges[f]]));
    // The history's time (the TIME feature: from the start of the record, or of its occasion after a reset).
    const time = names.indexOf('TIME');
    if (time >= 0 && ranges[time][1] > maxTime) maxTime = ranges[time][1];
  }
  if (!(maxTime > 0))
    throw new DoseSettingsError(
      "The network's training subjects have no observations after time 0, so it cannot simulate doses over time. Train it on a file with observations after the first dose.",
    );
  return { strata, baselines, trial, maxTime, featureRanges };
}
