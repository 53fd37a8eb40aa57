/**
 * Inference time per sample: the median of timed passes over the development subjects (a measured
 * benchmark number, never a test assertion). Direct head: `predictObservations` over every
 * observation, per observation. Mechanistic head: the covariate network's forward pass (covariates →
 * parameter shifts, `networkShifts`), per subject — it runs once per subject, and the structural
 * model then predicts every observation.
 */
import type { SplitView } from '../../data/splits/view';
import { hybridSubjects } from '../mechanistic/hybrid-evaluation';
import { type HybridModel, networkShifts } from '../mechanistic/hybrid-model';
import { type PkPdModel, predictObservations } from '../pkpd-model';

export const INFERENCE_PASSES = 3;

/** Median over `passes` of the time of `pass` (which returns how many samples it predicted), in µs per sample. */
function medianMicrosecondsPerSample(pass: () => number, passes: number): number {
  const times: number[] = [];
  let samples = 0;
  for (let i = 0; i < passes; i++) {
    const started = performance.now();
    samples = pass();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return (times[Math.floor(times.length / 2)] * 1000) / Math.max(1, samples);
}

export function inferenceMicrosecondsPerSample(model: PkPdModel, view: SplitView, passes = INFERENCE_PASSES): number {
  const subjects = [...view.train, ...view.val];
  return medianMicrosecondsPerSample(() => {
    const predictions = predictObservations(model, view.development, subjects);
    return (predictions.pk?.observed.length ?? 0) + (predictions.pd?.observed.length ?? 0);
  }, passes);
}

/** The hybrid model's covariate network, per development subject. */
export function hybridInferenceMicrosecondsPerSubject(model: HybridModel, view: SplitView, passes = INFERENCE_PASSES): number {
  const data = view.development;
  const ids = new Set([...view.train, ...view.val].map((i) => data.subjects[i].id));
  const covariates = hybridSubjects(model, data, ids).map((s) => s.covariates);
  return medianMicrosecondsPerSample(() => networkShifts(model, covariates).length, passes);
}
