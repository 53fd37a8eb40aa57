/**
 * A trained model's report on a set of subjects: predictions at their observations (points,
 * residuals, metrics) and prediction curves per subject on a time grid, with MC-dropout bands.
 * Pure over the model code; runs wherever the model runs (a Web Worker in the app).
 */
import { armLabel } from '../../data/explore/arms';
import type { Dataset } from '../../data/types';
import { targetMetrics, toTargetScale } from '../metrics';
import { meanAndSd } from '../predict';
import { PD_SUPPRESSION_THRESHOLD } from '../training-config';
import { classificationLevels, describeClassification, legacyClassification } from '../classification';
import { LEGACY_LABELS, type ReportLabels } from './labels';
import { branchFor, DEFAULT_MC_SAMPLES, type PkPdModel, predictObservations, type TargetPredictions } from '../pkpd-model';
import { curveGrid } from '../../data/curve-grid';
import { historySamples, type McDropout } from './history-samples';
import { sampleQuantiles } from '../../data/quantile';
import { subjectHistory, type SubjectHistory } from './subject-history';
import type { ModelReport, ReportPoint, ReportTarget, SubjectCurve, TargetReport } from './types';

export interface ModelReportOptions {
  /** MC-dropout samples (default 30); 0 or 1: one deterministic pass, no bands. */
  readonly mcSamples?: number;
  /** Seeds the MC-dropout masks (default 0). */
  readonly seed?: number;
  /** Evenly spaced curve times per subject, dose and observation times added (default 120). */
  readonly gridPoints?: number;
  /** Units, endpoint names and the criterion of the study (studyReportLabels); default EstData's (h, mg, ng/mL, PD below 3.3). */
  readonly labels?: ReportLabels;
}

export { type ReportLabels, studyReportLabels } from './labels';

export const DEFAULT_GRID_POINTS = 120;
/** The MC-dropout band: the central 95 % of the samples. */
const BAND: readonly number[] = [0.025, 0.975];
/** Labels of models without a study (EstData's, as before specs). */
function defaultLabels(model: PkPdModel): ReportLabels {
  return {
    ...LEGACY_LABELS,
    criterion: model.classification ?? (branchFor(model, 'pd') ? legacyClassification(PD_SUPPRESSION_THRESHOLD) : null),
  };
}

export function buildModelReport(
  model: PkPdModel,
  dataset: Dataset,
  subjects: readonly number[],
  subjectSet: ModelReport['subjectSet'],
  options: ModelReportOptions = {},
): ModelReport {
  const labels = options.labels ?? defaultLabels(model);
  const mcSamples = options.mcSamples ?? DEFAULT_MC_SAMPLES;
  if (!Number.isInteger(mcSamples) || mcSamples < 0) throw new Error(`MC-dropout samples must be a whole number ≥ 0, got ${mcSamples}`);
  const mc: McDropout | null = mcSamples > 1 ? { samples: mcSamples, seed: options.seed ?? 0 } : null;
  const predictions = predictObservations(model, dataset, subjects, mc ? { mcDropout: true, mcSamples: mc.samples, seed: mc.seed } : {});
  // The metrics table's numbers come from deterministic predictions: the report's metrics too, so the two agree.
  const deterministic = mc ? predictObservations(model, dataset, subjects) : predictions;

  const observedTimes = (s: number): number[] =>
    Object.values(predictions).flatMap((p) => Array.from(p.time).filter((_, i) => p.subject[i] === s));
  const histories = subjects.map((s) => {
    const history = subjectHistory(dataset, s);
    const times = curveGrid(options.gridPoints ?? DEFAULT_GRID_POINTS, [...history.doses.map((d) => d.time), ...observedTimes(s)]);
    return { subject: s, times, history };
  });
  const samples = historySamples(
    model,
    histories.map((h) => ({ inputs: h.history.at(h.times), times: h.times })),
    mc,
  );

  const targets: ModelReport['targets'] = {};
  for (const target of ['pk', 'pd'] as const) {
    const p = predictions[target];
    const targetSamples = samples[target];
    if (!p || !targetSamples || p.observed.length === 0) continue;
    targets[target] = targetReport(model, dataset, target, p, deterministic[target] ?? p, histories, targetSamples, {
      ...labels[target],
      time: labels.time,
      amount: labels.amount,
    });
  }
  const head = labels.criterion;
  const criterion =
    head && branchFor(model, head.endpoint)
      ? { target: head.endpoint, levels: classificationLevels(head), label: describeClassification(head) }
      : null;
  return { subjectSet, mcSamples: mc ? mc.samples : 0, time: labels.time, amount: labels.amount, criterion, targets };
}

interface CurveInput {
  readonly subject: number;
  readonly times: number[];
  readonly history: SubjectHistory;
}

function targetReport(
  model: PkPdModel,
  dataset: Dataset,
  target: ReportTarget,
  p: TargetPredictions,
  deterministic: TargetPredictions,
  histories: readonly CurveInput[],
  samples: Float64Array[],
  label: ReportLabels['pk'] & { time: string; amount: string },
): TargetReport {
  const spec = branchFor(model, target)!.spec;
  const z = (dv: number): number => toTargetScale(dv, spec.logTarget) / spec.scaler.sd;
  const points: ReportPoint[] = Array.from(p.observed, (observed, i) => ({
    subject: dataset.subjects[p.subject[i]].id,
    time: p.time[i],
    observed,
    predicted: p.predicted[i],
    sd: p.sd ? p.sd[i] : null,
    residual: observed - p.predicted[i],
    residualZ: z(observed) - z(p.predicted[i]),
  }));

  const predicted = samples.length > 1 ? meanAndSd(samples).mean : samples[0];
  const band = samples.length > 1 ? sampleQuantiles(samples, BAND) : null;
  let row = 0;
  const curves = histories.map(({ subject, times, history }): SubjectCurve => {
    const rows = [row, row + times.length] as const;
    row += times.length;
    const info = dataset.subjects[subject];
    const own = points.filter((_, i) => p.subject[i] === subject);
    return {
      subject: info.id,
      arm: armLabel(info.armDose),
      armDose: info.armDose,
      time: times,
      predicted: Array.from(predicted.subarray(...rows)),
      lower: band ? Array.from(band[0].subarray(...rows)) : null,
      upper: band ? Array.from(band[1].subarray(...rows)) : null,
      observedTime: own.map((o) => o.time),
      observed: own.map((o) => o.observed),
      doses: history.doses,
    };
  });
  return {
    target,
    name: label.name,
    unit: label.unit,
    time: label.time,
    amount: label.amount,
    logTarget: spec.logTarget,
    points,
    curves,
    metrics: targetMetrics(deterministic.observed, deterministic.predicted, spec.scaler, spec.logTarget),
    mcMetrics: p.sd ? targetMetrics(p.observed, p.predicted, spec.scaler, spec.logTarget) : null,
  };
}
