/**
 * Fits a FeatureModel: resolves the options against a dataset and learns its constants (k, PK shape,
 * imputation medians, log floor) from the TRAINING subjects only — the records of no other subject
 * are read.
 */
import type { Dataset } from '../types';
import { terminalPhaseStart, typicalDosingInterval } from './dosing-scale';
import { featureLayout } from './history';
import type { PkHistory } from './rates';
import { estimateEliminationRate, estimatePkShape, median } from './rates';
import type { DosingIntervalFit, EliminationRateFit, FeatureModel, FeatureSpec, PkShape, PkShapeFit } from './spec';
import { DECAY_MULTIPLES, resolveFeatureSpec, targetSelector, WINDOW_MULTIPLES } from './spec';
import { readSubjectRecords, refuseFeatureDosing, type SubjectRecords } from './subject-records';

/**
 * Refuses (UnmodelledDosingError) training subjects with steady-state doses. The rates are fitted on
 * each occasion (between resets) on its own, its infusions read as given at their start (the constants
 * only; the features themselves take infusions as infusions, history.ts).
 */
export function fitFeatureModel(dataset: Dataset, options: FeatureSpec, trainSubjects: readonly number[]): FeatureModel {
  if (trainSubjects.length === 0) throw new Error('features: no training subjects to fit the feature model on');
  refuseFeatureDosing(dataset, trainSubjects);
  const { spec, notes } = resolveFeatureSpec(
    options,
    dataset.covariates.map((c) => c.name),
  );
  const pk: PkHistory[] = [];
  const baselines: number[] = [];
  const dosing: { doseTimes: Float64Array; obsTimes: number[] }[] = [];
  const { time, dv } = dataset.records;
  for (const s of trainSubjects) {
    const rec = readSubjectRecords(dataset, s, targetSelector(spec, 'pk'), targetSelector(spec, 'pd'));
    baselines.push(rec.baselinePd);
    for (const segment of occasions(
      rec,
      Float64Array.from(rec.observations, (k) => time[k]),
      Float64Array.from(rec.observations, (k) => dv[k]),
    )) {
      dosing.push({ doseTimes: segment.doseTimes, obsTimes: segment.lastObservation });
      if (segment.doseTimes.length === 0 || segment.obsTimes.length === 0) continue;
      pk.push(segment);
    }
  }

  const covariateMedians: Record<string, number> = {};
  const needed =
    spec.bodyWeight !== null && !spec.covariates.includes(spec.bodyWeight) ? [...spec.covariates, spec.bodyWeight] : spec.covariates;
  for (const name of needed) {
    const m = median(trainSubjects.map((s) => dataset.subjects[s].baseline[name] ?? Number.NaN));
    if (name === spec.bodyWeight && !(m > 0)) {
      notes.push(`body weight ${name} is missing for every training subject: per-kg features left out`);
      spec.bodyWeight = null;
      if (!spec.covariates.includes(name)) continue;
    }
    if (Number.isNaN(m)) notes.push(`covariate ${name} is missing for every training subject: imputed as 0`);
    covariateMedians[name] = Number.isNaN(m) ? 0 : m;
  }

  // Windows, decays and the terminal phase on the study's dosing scale (dosing-scale.ts).
  let dosingInterval: DosingIntervalFit | null | undefined;
  if (spec.dosingScale !== undefined) {
    dosingInterval =
      typeof spec.dosingScale === 'number' ? { interval: spec.dosingScale, rule: 'given', subjects: 0 } : typicalDosingInterval(dosing);
    if (dosingInterval === null) notes.push('no training subject has a dose: the windows and decays keep their reference lengths');
    else {
      const tau = dosingInterval.interval;
      spec.windowsH = WINDOW_MULTIPLES.map((m) => m * tau);
      spec.decayHalfLivesH = DECAY_MULTIPLES.map((m) => m * tau);
      if (options.terminalPhase?.minHoursAfterLastDose === undefined)
        spec.terminalPhase = { ...spec.terminalPhase, minHoursAfterLastDose: terminalPhaseStart(dosingInterval) };
    }
  }

  let baselinePdMedian = median(baselines);
  if (Number.isNaN(baselinePdMedian)) {
    if (spec.baselinePd) notes.push('no training subject has a pre-dose PD observation: baseline PD imputed as 0');
    baselinePdMedian = 0;
  }

  let k: number | null = null;
  let kFit: EliminationRateFit | null = null;
  if (spec.superposition) {
    if (typeof spec.eliminationRate === 'number') k = spec.eliminationRate;
    else {
      kFit = estimateEliminationRate(pk, spec.terminalPhase);
      if (kFit === null)
        notes.push(
          'the elimination rate could not be estimated (no terminal-phase PK in the training subjects): superposition features left out',
        );
      else k = kFit.k;
    }
  }
  let shape: PkShape | null = null;
  let shapeFit: PkShapeFit | null = null;
  if (k !== null && spec.pkShape !== 'none') {
    if (typeof spec.pkShape === 'object') {
      const { ka, alpha } = spec.pkShape;
      if (Math.abs(ka - k) < 1e-3 * ka || Math.abs(ka - alpha) < 1e-3 * ka)
        throw new Error(`features: the PK shape's ka (${ka}) must differ from k (${k}) and alpha (${alpha})`);
      shape = { ...spec.pkShape };
    } else {
      shapeFit = estimatePkShape(pk, k);
      if (shapeFit === null) notes.push('the PK shape could not be estimated (too little PK): EXPO_PK features left out');
      else shape = { ka: shapeFit.ka, alpha: shapeFit.alpha, rho: shapeFit.rho };
    }
  }

  const dosePerUnit: number[] = [];
  for (const s of trainSubjects) {
    const subject = dataset.subjects[s];
    if (!(subject.armDose > 0)) continue;
    if (spec.bodyWeight === null) dosePerUnit.push(subject.armDose);
    else {
      const weight = subject.baseline[spec.bodyWeight];
      dosePerUnit.push(subject.armDose / (weight !== undefined && weight > 0 ? weight : covariateMedians[spec.bodyWeight]));
    }
  }
  const typical = median(dosePerUnit);
  const logExposureFloor = Number.isFinite(typical) && typical > 0 ? 1e-3 * typical : 1e-6;

  const { names, descriptions } = featureLayout(spec, k, shape);
  return {
    version: 1,
    spec,
    names,
    descriptions,
    k,
    shape,
    kFit,
    shapeFit,
    covariateMedians,
    baselinePdMedian,
    logExposureFloor,
    trainingSubjects: trainSubjects.length,
    ...(dosingInterval !== undefined ? { dosingInterval } : {}),
    notes,
  };
}

/**
 * A subject's occasions (its history cut at its resets), each with its own doses and observations and
 * its times measured from its start; `lastObservation`: the time of its last observation of any type.
 */
function occasions(
  rec: SubjectRecords,
  obsTimes: Float64Array,
  obsValues: Float64Array,
): (PkHistory & { doseTimes: Float64Array; obsTimes: Float64Array; lastObservation: number[] })[] {
  const last = Number.isFinite(rec.lastObservationTime) ? [rec.lastObservationTime] : [];
  const resets = rec.resetTimes;
  if (!resets) return [{ doseTimes: rec.doseTimes, doseAmounts: rec.doseAmounts, obsTimes, obsValues, lastObservation: last }];
  const starts = [Number.NEGATIVE_INFINITY, ...resets];
  return starts.map((from, g) => {
    const to = g + 1 < starts.length ? starts[g + 1] : Number.POSITIVE_INFINITY;
    const shift = g === 0 ? 0 : from;
    const doses = Array.from(rec.doseTimes).flatMap((t, j) => (t >= from && t < to ? [j] : []));
    const obs = Array.from(obsTimes).flatMap((t, i) => (t >= from && t < to ? [i] : []));
    const lastHere =
      rec.lastObservationTime >= from && rec.lastObservationTime < to
        ? [rec.lastObservationTime - shift]
        : obs.length > 0
          ? [obsTimes[obs[obs.length - 1]] - shift]
          : [];
    return {
      doseTimes: Float64Array.from(doses, (j) => rec.doseTimes[j] - shift),
      doseAmounts: Float64Array.from(doses, (j) => rec.doseAmounts[j]),
      obsTimes: Float64Array.from(obs, (i) => obsTimes[i] - shift),
      obsValues: Float64Array.from(obs, (i) => obsValues[i]),
      lastObservation: lastHere,
    };
  });
}

/** Constants of a feature model that fitFeatureModel would learn; defaults in createFeatureModel. */
export interface FeatureModelConstants {
  covariateMedians?: Record<string, number>;
  baselinePdMedian?: number;
  logExposureFloor?: number;
}

/**
 * A feature model from fixed constants, without data: the elimination rate must be a number (or
 * superposition off) and the PK shape a fixed shape or 'none'. For simulations with known rates
 * and for tests. Covariate medians default to NaN-free 0, the log floor to 1e-6.
 */
export function createFeatureModel(options: FeatureSpec, constants: FeatureModelConstants = {}): FeatureModel {
  const { spec, notes } = resolveFeatureSpec(options);
  if (spec.superposition && spec.eliminationRate === 'estimate')
    throw new Error('features: createFeatureModel needs a numeric elimination rate (or superposition off)');
  if (spec.superposition && spec.pkShape === 'estimate') throw new Error("features: createFeatureModel needs a fixed PK shape (or 'none')");
  const k = spec.superposition ? (spec.eliminationRate as number) : null;
  const shape = k !== null && typeof spec.pkShape === 'object' ? { ...spec.pkShape } : null;
  const covariateMedians: Record<string, number> = {};
  for (const name of spec.bodyWeight !== null ? [...spec.covariates, spec.bodyWeight] : spec.covariates) {
    covariateMedians[name] = constants.covariateMedians?.[name] ?? 0;
  }
  const { names, descriptions } = featureLayout(spec, k, shape);
  return {
    version: 1,
    spec,
    names,
    descriptions,
    k,
    shape,
    kFit: null,
    shapeFit: null,
    covariateMedians,
    baselinePdMedian: constants.baselinePdMedian ?? 0,
    logExposureFloor: constants.logExposureFloor ?? 1e-6,
    trainingSubjects: 0,
    notes,
  };
}

/** Reads a FeatureModel back from JSON (JSON.parse output), checking its shape. */
export function parseFeatureModel(json: unknown): FeatureModel {
  const m = json as FeatureModel;
  if (typeof m !== 'object' || m === null || m.version !== 1 || !Array.isArray(m.names) || typeof m.spec !== 'object') {
    throw new Error('features: not a feature model (version 1)');
  }
  const { names, descriptions } = featureLayout(m.spec, m.k, m.shape);
  if (names.join('|') !== m.names.join('|') || descriptions.length !== m.descriptions.length) {
    throw new Error('features: feature model columns do not match its options');
  }
  return m;
}
