/**
 * What a network dose simulator needs to know about the subjects its model was trained on, read
 * from those subjects only (never the withheld test subjects): their pre-dose PD with their COMED
 * (virtual subjects draw their baseline PD from it), the time span of their observations (how far
 * the absolute-time features were seen) and the range of every input feature on their rows (to
 * report where simulated histories leave it).
 */
import { readSubjectRecords } from '../data/features/subject-records';
import type { Dataset } from '../data/types';
import { DVID_PD } from '../data/types';
import { observationRows, type PkPdModel } from '../model/pkpd-model';
import { DoseSettingsError } from './errors';

export interface TrainingBaseline {
  /** Pre-dose PD (ng/mL). */
  pd: number;
  /** COMED of the subject (0/1). */
  comed: number;
}

export interface NetworkTrainingContext {
  /** Training subjects with a pre-dose PD. */
  baselines: TrainingBaseline[];
  /** Largest observation time (h) on the training rows. */
  maxTime: number;
  /** [min, max] of each raw input feature on the training rows, per branch name, then feature name. */
  featureRanges: Record<string, Record<string, [number, number]>>;
}

/** The context from the training subjects (indices into `dataset.subjects`). */
export function networkTrainingContext(model: PkPdModel, dataset: Dataset, subjects: readonly number[]): NetworkTrainingContext {
  if (subjects.length === 0) throw new Error('networkTrainingContext: no training subjects given');
  const baselines: TrainingBaseline[] = [];
  for (const s of subjects) {
    const pd = readSubjectRecords(dataset, s, DVID_PD).baselinePd;
    if (Number.isFinite(pd)) baselines.push({ pd, comed: dataset.subjects[s].baseline.COMED === 1 ? 1 : 0 });
  }
  let maxTime = 0;
  const featureRanges: NetworkTrainingContext['featureRanges'] = {};
  for (const branch of model.branches) {
    const names = branch.featureModel.names;
    const ranges = names.map((): [number, number] => [Infinity, -Infinity]);
    for (const target of branch.targets) {
      const set = observationRows(dataset, branch.featureModel, target, subjects);
      for (const t of set.rows.time) maxTime = Math.max(maxTime, t);
      for (let r = 0; r < set.nRows; r++) {
        for (let f = 0; f < names.length; f++) {
          const v = set.matrix[r * names.length + f];
          if (v < ranges[f][0]) ranges[f][0] = v;
          if (v > ranges[f][1]) ranges[f][1] = v;
        }
      }
    }
    featureRanges[branch.name] = Object.fromEntries(names.map((name, f) => [name, ranges[f]]));
  }
  if (!(maxTime > 0))
    throw new DoseSettingsError(
      "The network's training subjects have no observations after time 0, so it cannot simulate doses over time. Train it on a file with observations after the first dose.",
    );
  return { baselines, maxTime, featureRanges };
}
