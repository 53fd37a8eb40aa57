/**
 * Inference time per sample: the median of timed `predictObservations` passes over every
 * observation of the development subjects (a measured benchmark number, never a test assertion).
 */
import type { SplitView } from '../../data/splits/view';
import { type PkPdModel, predictObservations } from '../pkpd-model';

export const INFERENCE_PASSES = 3;

export function inferenceMicrosecondsPerSample(model: PkPdModel, view: SplitView, passes = INFERENCE_PASSES): number {
  const subjects = [...view.train, ...view.val];
  const times: number[] = [];
  let samples = 0;
  for (let i = 0; i < passes; i++) {
    const started = performance.now();
    const predictions = predictObservations(model, view.development, subjects);
    times.push(performance.now() - started);
    samples = (predictions.pk?.observed.length ?? 0) + (predictions.pd?.observed.length ?? 0);
  }
  times.sort((a, b) => a - b);
  return (times[Math.floor(times.length / 2)] * 1000) / Math.max(1, samples);
}
