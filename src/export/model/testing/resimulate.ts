/**
 * Our engine's re-simulation of an export: the export's data file read back (ingest and binding, as
 * any NONMEM-layout file), each subject's parameters from the export's own values and code
 * (export-readers.ts) and from the original population model, typical (η = 0) and individual (the
 * given η) predictions of both by the structural engine at every observation the data file keeps
 * (MDV 0). Test support only.
 */
import { ingestText } from '../../../data/ingest';
import type { StudyPopulationModel } from '../../../pkpd/population/fit-study';
import { covariateVector, individualValues, populationStages, stageTheta } from '../../../pkpd/population/parameter-model';
import { createStructuralModel, type ParameterValues } from '../../../pkpd/structural/structural-model';
import { bindStudy, type StudyData } from '../../../study/study-data';
import type { ModelParameter, StudySpec } from '../../../study/study-spec';
import { HOURS_PER } from '../../../study/units';
import type { ReadExport } from './export-readers';

export interface PredictionRow {
  subject: number;
  endpoint: 'pk' | 'pd';
  time: number;
  /** From the original model: typical and individual. */
  pred: number;
  ipred: number;
  /** From the export's values. */
  exportPred: number;
  exportIpred: number;
}

/** The export's data read back through the spec (PK DVID 1, PD DVID 2). */
export function readExportData(spec: StudySpec, csv: string): StudyData {
  const ingested = ingestText(csv, 'export.csv');
  if (!ingested.ok) throw new Error(`The exported data was not accepted: ${JSON.stringify(ingested.errors.slice(0, 3))}`);
  const endpoints: StudySpec['endpoints'] = {};
  if (spec.endpoints.pk) endpoints.pk = { dvid: 1 };
  if (spec.endpoints.pd && spec.model.pd) endpoints.pd = { dvid: 2 };
  return bindStudy(ingested.dataset, { ...spec, groupBy: 'regimen', endpoints });
}

/**
 * Predictions of the original model and of the export at the exported data's observations.
 * `etas[i]` is subject i's η (subjects in the order of the fit's study). The PD engine refines its
 * grid as the fit does (fit-study.ts PD_STIFFNESS_LIMIT = 1), so that PD predictions equal the fit's.
 */
export function resimulate(
  spec: StudySpec,
  model: StudyPopulationModel,
  read: ReadExport,
  csv: string,
  etas: readonly Partial<Record<ModelParameter, number>>[],
): PredictionRow[] {
  const study = readExportData(spec, csv);
  const stages = populationStages(spec, model);
  const engine = createStructuralModel(model.pd ? { pk: model.pk, pd: model.pd } : { pk: model.pk }, {
    hoursPerTimeUnit: HOURS_PER[spec.units.time],
    stiffnessLimit: 1,
  });
  const original = (covariates: Readonly<Record<string, number>>, eta: Partial<Record<ModelParameter, number>>): ParameterValues => {
    const out: ParameterValues = {};
    for (const stage of [stages.pk, stages.pd]) {
      if (!stage) continue;
      const e = Float64Array.from(stage.etas, (n) => eta[n] ?? 0);
      individualValues(stage, stageTheta(model.theta, stage), e, covariateVector(stage, covariates), out);
    }
    return out;
  };
  const rows: PredictionRow[] = [];
  study.subjects.forEach((s, i) => {
    const eta = etas[i] ?? {};
    const sets = [
      original(s.covariates, {}),
      original(s.covariates, eta),
      read.parameters(s.covariates, {}),
      read.parameters(s.covariates, eta),
    ];
    s.segments.forEach((segment, k) => {
      const times = (endpoint: 'pk' | 'pd'): number[] => Array.from(s[endpoint].times).filter((_t, j) => s[endpoint].segment[j] === k);
      const pkTimes = times('pk');
      const pdTimes = model.pd ? times('pd') : [];
      const plan = engine.prepare(segment.doses, model.pd ? { pk: pkTimes, pd: pdTimes } : { pk: pkTimes });
      const predicted = sets.map((values) => {
        const p = engine.predict(plan, values);
        return { pk: Float64Array.from(p.pk), pd: Float64Array.from(p.pd) };
      });
      for (const [endpoint, list] of [
        ['pk', pkTimes],
        ['pd', pdTimes],
      ] as const) {
        list.forEach((time, j) => {
          const [pred, ipred, exportPred, exportIpred] = predicted.map((p) => p[endpoint][j]);
          rows.push({ subject: i, endpoint, time, pred, ipred, exportPred, exportIpred });
        });
      }
    });
  });
  return rows;
}

/** |a − b| relative to the larger magnitude (0 when both are 0). */
export function relativeGap(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

/** The largest relative gap between the original and the export's predictions, typical and individual. */
export function largestGap(rows: readonly PredictionRow[]): number {
  let gap = 0;
  for (const r of rows) gap = Math.max(gap, relativeGap(r.pred, r.exportPred), relativeGap(r.ipred, r.exportIpred));
  return gap;
}
