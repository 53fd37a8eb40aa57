/**
 * A hybrid model's predictions of observations and its metrics, on any subjects of a file of the
 * study's layout: the typical prediction of each subject (every η = 0; its covariates through the
 * network), PK and PD from the structural engine at the observation times — what the direct head's
 * metrics are of (a prediction from covariates and dose history, no observation of the subject
 * used). Metrics as `train` prints them (src/model/metrics.ts): z-units of the training subjects'
 * target scalers (PK on ln DV, PD on DV, as the direct head's), and in the observations' units.
 */
import type { Dataset } from '../../data/types';
import { fitTargetScaler, type TargetScaler } from '../../data/features/scaler';
import { predictGrid } from '../../pkpd/diagnostics/study-diagnostics';
import type { StudyPopulationModel } from '../../pkpd/population/fit-study';
import { covariateVector, individualValues, populationStages, stageTheta } from '../../pkpd/population/parameter-model';
import { createStructuralModel, type ParameterValues, type StructuralModel } from '../../pkpd/structural/structural-model';
import { bindStudy, type StudySubject } from '../../study/study-data';
import type { StudySpec } from '../../study/study-spec';
import { HOURS_PER } from '../../study/units';
import { ModelDataError } from '../errors';
import { BASELINE_PD_COLUMN, withBaselinePd } from './hybrid-baseline';
import { type TargetMetrics, targetMetrics } from '../metrics';
import { type HybridModel, networkShifts, withHybridCovariates } from './hybrid-model';

export interface ObservedAndPredicted {
  observed: Float64Array;
  predicted: Float64Array;
  /** Subject ID and time of each observation. */
  ids: string[];
  times: Float64Array;
}

export interface HybridPredictions {
  pk: ObservedAndPredicted | null;
  pd: ObservedAndPredicted | null;
}

/** The training subjects' target scalers of a hybrid model (PK on ln DV, PD on DV). */
export interface HybridScalers {
  pk: TargetScaler | null;
  pd: TargetScaler | null;
}

const LOG_TARGET = { pk: true, pd: false } as const;

/** The engine of a population model and each subject's typical parameter values (every η = 0) from its covariates. */
export function typicalValues(
  spec: StudySpec,
  population: StudyPopulationModel,
  covariates: readonly Readonly<Record<string, number>>[],
): { engine: StructuralModel; values: ParameterValues[] } {
  const { pk: pkStage, pd: pdStage } = populationStages(spec, population);
  const pkTheta = stageTheta(population.theta, pkStage);
  const pdTheta = pdStage ? stageTheta(population.theta, pdStage) : [];
  const engine = createStructuralModel(population.pd ? { pk: population.pk, pd: population.pd } : { pk: population.pk }, {
    hoursPerTimeUnit: HOURS_PER[spec.units.time],
  });
  const values = covariates.map((c) => {
    const v: ParameterValues = {};
    individualValues(pkStage, pkTheta, new Float64Array(pkStage.etas.length), covariateVector(pkStage, c), v);
    if (pdStage) individualValues(pdStage, pdTheta, new Float64Array(pdStage.etas.length), covariateVector(pdStage, c), v);
    return v;
  });
  return { engine, values };
}

/** Typical predictions (η = 0) at every PK and PD observation of the subjects; NaN where parameters are invalid. */
export function predictTypical(
  spec: StudySpec,
  population: StudyPopulationModel,
  subjects: readonly StudySubject[],
  covariates: readonly Readonly<Record<string, number>>[] = subjects.map((s) => s.covariates),
): HybridPredictions {
  const { engine, values } = typicalValues(spec, population, covariates);
  const collect = (endpoint: 'pk' | 'pd'): ObservedAndPredicted | null => {
    if (endpoint === 'pd' && !population.pd) return null;
    const observed: number[] = [];
    const predicted: number[] = [];
    const ids: string[] = [];
    const times: number[] = [];
    subjects.forEach((subject, i) => {
      const o = subject[endpoint];
      if (o.times.length === 0) return;
      const [p] = predictGrid(engine, subject, Array.from(o.times), endpoint === 'pd', [values[i]]);
      const at = endpoint === 'pk' ? p.pk : p.pd;
      o.times.forEach((t, j) => {
        observed.push(o.values[j]);
        predicted.push(at[j]);
        ids.push(subject.id);
        times.push(t);
      });
    });
    if (observed.length === 0) return null;
    return { observed: Float64Array.from(observed), predicted: Float64Array.from(predicted), ids, times: Float64Array.from(times) };
  };
  return { pk: collect('pk'), pd: collect('pd') };
}

/**
 * The covariates of subjects as a hybrid model's engine reads them: theirs (and their baseline PD
 * where the network reads it), with the network's inputs and shifts added.
 */
export function hybridCovariates(model: HybridModel, subjects: readonly StudySubject[]): Record<string, number>[] {
  // The baseline PD, where the network reads it, from each subject's own pre-dose response.
  const read = model.inputs.columns.includes(BASELINE_PD_COLUMN) ? withBaselinePd(subjects) : subjects;
  const covariates = read.map((s) => s.covariates);
  return withHybridCovariates(model, covariates, networkShifts(model, covariates));
}

/** A hybrid model's typical predictions for subjects: their covariates through the network, then the engine. */
export function predictHybrid(model: HybridModel, subjects: readonly StudySubject[]): HybridPredictions {
  return predictTypical(model.spec, model.population, subjects, hybridCovariates(model, subjects));
}

/** Target scalers from training subjects' observations (PK: ln DV of positive values; PD: DV). */
export function hybridScalers(subjects: readonly StudySubject[]): HybridScalers {
  const of = (endpoint: 'pk' | 'pd'): TargetScaler | null => {
    const values = subjects.flatMap((s) => Array.from(s[endpoint].values));
    const scaled = LOG_TARGET[endpoint] ? values.filter((v) => v > 0).map(Math.log) : values;
    return scaled.length > 1 ? fitTargetScaler(scaled) : null;
  };
  return { pk: of('pk'), pd: of('pd') };
}

/** Metrics of predictions (finite ones, positive observations for PK), in the shape `train` prints. */
export function hybridMetrics(
  predictions: HybridPredictions,
  scalers: HybridScalers,
): { pk: TargetMetrics | null; pd: TargetMetrics | null } {
  const of = (endpoint: 'pk' | 'pd'): TargetMetrics | null => {
    const p = predictions[endpoint];
    const scaler = scalers[endpoint];
    if (!p || !scaler) return null;
    const keep = Array.from(p.observed.keys()).filter(
      (j) => Number.isFinite(p.predicted[j]) && (!LOG_TARGET[endpoint] || (p.observed[j] > 0 && p.predicted[j] > 0)),
    );
    if (keep.length === 0) return null;
    return targetMetrics(
      Float64Array.from(keep, (j) => p.observed[j]),
      Float64Array.from(keep, (j) => p.predicted[j]),
      scaler,
      LOG_TARGET[endpoint],
    );
  };
  return { pk: of('pk'), pd: of('pd') };
}

/**
 * The subjects of a file bound through the hybrid model's study (the file must have the study's
 * layout). A file without one of the network's input columns is refused: its subjects would all be
 * predicted at the training subjects' mean of it. (A subject missing one value gets the mean, as in
 * training.)
 */
export function hybridSubjects(model: HybridModel, dataset: Dataset, ids?: ReadonlySet<string>): StudySubject[] {
  const bound = bindStudy(dataset, model.spec).subjects;
  const subjects = model.inputs.columns.includes(BASELINE_PD_COLUMN) ? withBaselinePd(bound) : bound;
  const absent = model.inputs.columns.filter((c) => !subjects.some((s) => Number.isFinite(s.covariates[c])));
  if (subjects.length > 0 && absent.length > 0) {
    const named = absent.map((c) => (c === BASELINE_PD_COLUMN ? 'a response observed before the first dose' : c));
    throw new ModelDataError(
      `${dataset.fileName} has no value of ${named.join(', ')}, which the model's covariate network reads: ` +
        'choose a file of the study the model was trained on (the same covariate columns).',
    );
  }
  return ids ? subjects.filter((s) => ids.has(s.id)) : subjects;
}
