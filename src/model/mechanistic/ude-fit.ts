/**
 * EXPERIMENTAL — fitting the universal-ODE term of ude.ts to a study, in two stages:
 *
 * 1. The study's mechanistic population model by FOCE-I (../../pkpd/population/fit-study.ts
 *    `fitStudyData`) on the development subjects (those that teach the network and those that stop it
 *    early); each subject's individual PK and PD parameters are its empirical Bayes estimates.
 * 2. With those parameters held fixed, the network's weights φ are trained by Adam (../adamw.ts, no
 *    weight decay) on the mean squared PD error of the training subjects' individual predictions, in
 *    units of the training responses' SD, one full-batch step per epoch (the sequential RK4 loop costs
 *    the same for one subject as for all of them: small ops, overhead-bound), gradients through the
 *    integrator. The network starts at g_φ ≡ 0 (the mechanistic model, epoch 0) and the weights of the
 *    epoch with the lowest loss on the early-stopping subjects are kept (patience `patience` epochs),
 *    so a network that does not help leaves the mechanistic model as it was.
 *
 * Why two stages rather than one joint fit: FOCE-I needs the model's sensitivities to every η and θ
 * for each subject, through the network's ODE — a nested optimisation through a float32 integrator
 * that would make each FOCE iteration a training run. Conditioning on the empirical Bayes estimates is
 * the usual shortcut (as the PD stage of fit-study.ts conditions on the individual PK: IPP); its price
 * is that the mechanistic parameters, fitted without the network, are not re-estimated with it: what
 * the misspecified model's θ and η absorbed stays there, and the network learns the remainder.
 *
 * New subjects are predicted typically (every η = 0, their covariates through the spec's covariate
 * model: hybrid-evaluation.ts `typicalValues`), as the app's hybrid evaluation predicts them, so the
 * mechanistic model and the UDE are compared on the same footing (`predictTypical`).
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { fitTargetScaler } from '../../data/features/scaler';
import { fitStudyData, type StudyFitControl, type StudyFitResult, type StudyPopulationModel } from '../../pkpd/population/fit-study';
import { median } from '../../pkpd/population/parameter-model';
import type { ParameterValues } from '../../pkpd/structural/structural-model';
import type { StudyData, StudySubject } from '../../study/study-data';
import type { StudySpec } from '../../study/study-spec';
import { HOURS_PER } from '../../study/units';
import { AdamW } from '../adamw';
import { ModelDataError } from '../errors';
import { regressionMetrics } from '../metrics';
import { predictTypical, typicalValues, type ObservedAndPredicted } from './hybrid-evaluation';
import {
  createUdeNetwork,
  disposeUdeBatch,
  packUdeBatch,
  stageConcentrations,
  udeLossGradients,
  udePredict,
  udeResponses,
  udeStructure,
  type UdeBatch,
  type UdeModel,
  type UdeSubject,
} from './ude';

export interface UdeFitOptions {
  /** Subjects whose PD observations teach the network. */
  trainIds: readonly string[];
  /** Subjects that stop it early (none: every epoch runs, the last weights are kept). */
  stopIds: readonly string[];
  /** Default 60. */
  epochs?: number;
  /** Epochs without a better early-stopping loss before training stops (default 10). */
  patience?: number;
  /** Adam's learning rate (default 0.02). */
  learningRate?: number;
  /** Seeds the network's initial weights (default 0). */
  seed?: number;
  /** Longest integration step in hours (default 0.5), converted to the data's time unit. */
  maxStepHours?: number;
  /** The FOCE-I fit's control (default: no standard errors). */
  fitControl?: StudyFitControl;
  onEpoch?: (row: UdeEpoch) => void;
}

/** Losses of an epoch (mean squared PD error in units of the training responses' SD; before its step). */
export interface UdeEpoch {
  epoch: number;
  train: number;
  /** On the early-stopping subjects (NaN without them). */
  stop: number;
}

export interface UdeFitResult {
  spec: StudySpec;
  /** The mechanistic model's FOCE-I fit (stage 1). */
  fit: StudyFitResult;
  population: StudyPopulationModel;
  model: UdeModel;
  history: UdeEpoch[];
  /** The epoch whose weights were kept (0: the mechanistic model, g ≡ 0). */
  bestEpoch: number;
  stopped: 'patience' | 'epochs';
  /** SD of the training subjects' PD observations (the loss's unit). */
  scale: number;
  counts: { train: number; stop: number };
}

const DEFAULTS = { epochs: 60, patience: 10, learningRate: 0.02, seed: 0, maxStepHours: 0.5 } as const;

/** A study subject's history as the UDE reads it (one segment: resets are refused), R wanted at its PD times. */
export function udeSubject(subject: StudySubject, values: ParameterValues): UdeSubject {
  if (subject.segments.length !== 1) {
    throw new ModelDataError(`Subject ${subject.id} has ${subject.segments.length - 1} resets, which the experimental UDE does not have.`);
  }
  return { doses: subject.segments[0].doses, times: subject.pd.times, values };
}

interface Part {
  batch: UdeBatch;
  observed: Float64Array;
  count: number;
}

function part(
  model: Pick<UdeModel, 'structure' | 'grid'>,
  subjects: readonly StudySubject[],
  values: Map<string, ParameterValues>,
): Part | null {
  const used = subjects.filter((s) => s.pd.times.length > 0);
  if (used.length === 0) return null;
  const batch = packUdeBatch(
    model.structure,
    used.map((s) => udeSubject(s, values.get(s.id) as ParameterValues)),
    model.grid,
  );
  const observed = Float64Array.from(used.flatMap((s) => Array.from(s.pd.values)));
  return { batch, observed, count: used.length };
}

function disposePart(p: Part | null): void {
  if (p) disposeUdeBatch(p.batch);
}

/** Fits the mechanistic model, then the network (header); the caller disposes the model (`disposeUdeModel`). */
export function fitUde(study: StudyData, options: UdeFitOptions): UdeFitResult {
  const o = { ...DEFAULTS, ...options };
  const wanted = new Set([...o.trainIds, ...o.stopIds]);
  const development = study.subjects.filter((s) => wanted.has(s.id));
  const fit = fitStudyData({ ...study, subjects: development }, o.fitControl ?? { covariance: false });
  const structure = udeStructure(fit.model.pk, fit.model.pd);
  const values = new Map(fit.individuals.map((i) => [i.id, i.parameters]));
  const maxStep = o.maxStepHours / HOURS_PER[study.spec.units.time];
  const pick = (ids: readonly string[]): StudySubject[] => {
    const set = new Set(ids);
    return development.filter((s) => set.has(s.id));
  };
  const grid = { maxStep };
  const shape = { structure, grid };
  const train = part(shape, pick(o.trainIds), values);
  if (!train) throw new ModelDataError('No training subject has a PD observation: the UDE has nothing to learn from.');
  const stop = part(shape, pick(o.stopIds), values);
  const network = createUdeNetwork(o.seed);
  try {
    const positive = stageConcentrations(train.batch);
    if (positive.length === 0)
      throw new ModelDataError('The training subjects have no positive concentration: give doses before the PD observations.');
    const model: UdeModel = { structure, network, cRef: median(positive), grid };
    const scaler = fitTargetScaler(train.observed);
    const scale = scaler.constant || !(scaler.sd > 0) ? 1 : scaler.sd;
    const lossValue = (p: Part | null): number => {
      if (!p) return Number.NaN;
      const r = udeResponses(model, p.batch);
      const predicted = r.dataSync();
      r.dispose();
      let sum = 0;
      predicted.forEach((x, j) => (sum += ((x - p.observed[j]) / scale) ** 2));
      return sum / predicted.length;
    };
    const optimizer = new AdamW(network.parameters.parameters, {
      learningRate: o.learningRate,
      weightDecay: 0,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
    });
    const history: UdeEpoch[] = [];
    let best = { epoch: 0, loss: Infinity, weights: network.parameters.snapshot() };
    let stopped: UdeFitResult['stopped'] = 'epochs';
    try {
      // Epoch e: the weights after e steps (epoch 0: g ≡ 0, the mechanistic model).
      let stopLoss = lossValue(stop);
      for (let epoch = 0; epoch <= o.epochs; epoch++) {
        const last = epoch === o.epochs;
        const step = last ? null : udeLossGradients(model, train.batch, train.observed, scale);
        const trainLoss = step ? step.loss : lossValue(train);
        history.push({ epoch, train: trainLoss, stop: stopLoss });
        o.onEpoch?.(history[history.length - 1]);
        let done = last;
        if (stop && stopLoss < best.loss) {
          best.weights.forEach((t) => t.dispose());
          best = { epoch, loss: stopLoss, weights: network.parameters.snapshot() };
        } else if (stop && epoch - best.epoch >= o.patience) {
          stopped = 'patience';
          done = true;
        }
        if (step && !done) optimizer.step(step.grads);
        Object.values(step?.grads ?? {}).forEach((g: Tensor) => g.dispose());
        if (done) break;
        stopLoss = lossValue(stop);
      }
      if (stop) network.parameters.restore(best.weights);
    } finally {
      best.weights.forEach((t) => t.dispose());
      optimizer.dispose();
    }
    return {
      spec: study.spec,
      fit,
      population: fit.model,
      model,
      history,
      bestEpoch: stop ? best.epoch : history[history.length - 1].epoch,
      stopped,
      scale,
      counts: { train: train.count, stop: stop?.count ?? 0 },
    };
  } catch (error) {
    network.parameters.dispose();
    throw error;
  } finally {
    disposePart(train);
    disposePart(stop);
  }
}

/** Typical UDE predictions (every η = 0, covariates through the spec's model) at the subjects' PD observations. */
export function udeTypical(
  result: Pick<UdeFitResult, 'spec' | 'population' | 'model'>,
  subjects: readonly StudySubject[],
): ObservedAndPredicted | null {
  const used = subjects.filter((s) => s.pd.times.length > 0);
  if (used.length === 0) return null;
  const { values } = typicalValues(
    result.spec,
    result.population,
    used.map((s) => s.covariates),
  );
  const predicted = udePredict(
    result.model,
    used.map((s, i) => udeSubject(s, values[i])),
  );
  return {
    observed: Float64Array.from(used.flatMap((s) => Array.from(s.pd.values))),
    predicted: Float64Array.from(predicted.flatMap((p) => Array.from(p))),
    ids: used.flatMap((s) => Array.from(s.pd.times, () => s.id)),
    times: Float64Array.from(used.flatMap((s) => Array.from(s.pd.times))),
  };
}

/** The mechanistic model's typical predictions at the subjects' PD observations (the engine, float64). */
export function mechanisticTypical(
  result: Pick<UdeFitResult, 'spec' | 'population'>,
  subjects: readonly StudySubject[],
): ObservedAndPredicted | null {
  return predictTypical(result.spec, result.population, subjects).pd;
}

/** PD RMSE (the response's unit) of predictions; NaN without any. */
export function pdRmse(p: ObservedAndPredicted | null): number {
  return p ? regressionMetrics(p.observed, p.predicted).rmse : Number.NaN;
}
