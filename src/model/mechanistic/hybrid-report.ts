/**
 * A hybrid model's report on a set of subjects, in the shape the Model view draws for a direct model
 * (report/types.ts): each subject's typical prediction (every η = 0, its covariates through the
 * network) at its observations — points, residuals and the metrics of `train` — and as a curve on a
 * time grid through its dose history. No bands: the prediction is deterministic (between-subject
 * variability is the population model's Ω, shown by the Doses tab's VPC).
 */
import { armLabel } from '../../data/explore/arms';
import { curveGrid } from '../../data/curve-grid';
import type { Dataset } from '../../data/types';
import { predictGrid } from '../../pkpd/diagnostics/study-diagnostics';
import { classificationLevels, describeClassification } from '../classification';
import { type TargetMetrics, toTargetScale } from '../metrics';
import { DEFAULT_GRID_POINTS } from '../report/build';
import type { ReportLabels } from '../report/labels';
import type { ModelReport, ReportPoint, ReportTarget, SubjectCurve, TargetReport } from '../report/types';
import { hybridCovariates, hybridMetrics, hybridSubjects, predictTypical, typicalValues } from './hybrid-evaluation';
import type { HybridModel } from './hybrid-model';

const LOG_TARGET: Readonly<Record<ReportTarget, boolean>> = { pk: true, pd: false };

/** The report of a hybrid model on the subjects of `dataset` (those in `ids`, or all), labelled by the study. */
export function buildHybridReport(
  model: HybridModel,
  dataset: Dataset,
  subjectSet: ModelReport['subjectSet'],
  labels: ReportLabels,
  ids?: ReadonlySet<string>,
): ModelReport {
  const subjects = hybridSubjects(model, dataset, ids);
  const covariates = hybridCovariates(model, subjects);
  // At the observations exactly as the metrics are computed (hybrid-run.ts `evaluateHybrid`): an
  // indirect response's integration grid breaks at the output times, so a curve's value at an
  // observation time agrees with it to the integration's accuracy, not to the last digit.
  const atObservations = predictTypical(model.spec, model.population, subjects, covariates);
  const { engine, values } = typicalValues(model.spec, model.population, covariates);
  const withPd = model.population.pd !== undefined;
  const grids = subjects.map((s, i) => {
    const doses = s.segments.flatMap((g) => g.doses);
    const observed = [...s.pk.times, ...(withPd ? s.pd.times : [])];
    const times = curveGrid(DEFAULT_GRID_POINTS, [...doses.map((d) => d.time), ...observed]);
    const [curve] = predictGrid(engine, s, times, withPd, [values[i]]);
    return { times, curve, doses: doses.map((d) => ({ time: d.time, amount: d.amount })) };
  });
  const targets: ModelReport['targets'] = {};
  for (const target of ['pk', 'pd'] as const) {
    const scaler = model.scalers[target];
    const at = atObservations[target];
    if (!scaler || !at) continue;
    const log = LOG_TARGET[target];
    const z = (dv: number): number => toTargetScale(dv, log) / scaler.sd;
    const points: ReportPoint[] = [];
    at.observed.forEach((observed, j) => {
      const predicted = at.predicted[j];
      // As the metrics (hybridMetrics): PK on ln DV, so a non-positive level or an invalid prediction is left out.
      if (!Number.isFinite(predicted) || (log && !(observed > 0 && predicted > 0))) return;
      const residualZ = z(observed) - z(predicted);
      points.push({ subject: at.ids[j], time: at.times[j], observed, predicted, sd: null, residual: observed - predicted, residualZ });
    });
    if (points.length === 0) continue;
    const curves: SubjectCurve[] = [];
    subjects.forEach((subject, i) => {
      const own = points.filter((p) => p.subject === subject.id);
      if (own.length === 0) return;
      const { times, curve, doses } = grids[i];
      const info = dataset.subjects[subject.index];
      curves.push({
        subject: subject.id,
        arm: armLabel(info.armDose),
        armDose: info.armDose,
        time: times,
        predicted: Array.from(target === 'pk' ? curve.pk : curve.pd),
        lower: null,
        upper: null,
        observedTime: own.map((p) => p.time),
        observed: own.map((p) => p.observed),
        doses,
      });
    });
    targets[target] = {
      target,
      name: labels[target].name,
      unit: labels[target].unit,
      time: labels.time,
      amount: labels.amount,
      logTarget: log,
      points,
      curves,
      metrics: hybridMetrics(atObservations, model.scalers)[target] as TargetMetrics,
      mcMetrics: null,
    } satisfies TargetReport;
  }
  const head = labels.criterion;
  const criterion =
    head && targets[head.endpoint]
      ? { target: head.endpoint, levels: classificationLevels(head), label: describeClassification(head) }
      : null;
  return { subjectSet, mcSamples: 0, time: labels.time, amount: labels.amount, criterion, targets };
}
