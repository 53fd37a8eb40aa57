/**
 * A study fit as plain JSON for people and scripts (the headless `fit` command, bench files): named
 * estimates in the spec's display units with RSE and 95 % interval, between-subject SDs with
 * shrinkage, residual errors, the objective and information criteria, the models compared, per kept
 * stage the convergence trace (OFV at the start and after each accepted iteration) and the condition
 * number of the estimates' correlation matrix (largest / smallest eigenvalue, NONMEM's convention;
 * ../diagnostics/parameter-correlation.ts), the observations below the limit of quantification
 * (fitted by M3; a note says so), notes.
 * Numbers are rounded to 4–6 significant digits; NaN (no standard error) becomes null.
 */
import { parameterCorrelation } from '../diagnostics/parameter-correlation';
import type { StudyFitResult } from './fit-study';

const round = (x: number, digits = 5): number | null => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);

export interface StudyFitReport {
  study: string;
  structure: { pk: string; pd: string | null };
  estimates: Record<string, { value: number | null; unit: string; rse: number | null; ci95: [number | null, number | null]; fixed?: true }>;
  omega: Record<string, { sd: number | null; rse: number | null; shrinkage: number | null; fixed?: true }>;
  residual: Record<string, Record<string, { value: number | null; unit: string; rse: number | null }>>;
  ofv: number | null;
  aic: number | null;
  bic: number | null;
  observations: number;
  /** Of `observations`, those below the limit of quantification, fitted by M3 (absent in reports made before it was added). */
  below_loq?: number;
  subjects: number;
  comparison: {
    stage: string;
    model: string;
    ofv: number | null;
    aic: number | null;
    delta_aic: number | null;
    parameters: number;
    chosen: boolean;
    converged: boolean;
  }[];
  /** Per kept stage (absent in reports made before it was added). */
  estimation?: {
    stage: string;
    model: string;
    ofv_trace: (number | null)[];
    /** Null without a covariance step. */
    condition_number: number | null;
    eigenvalues: (number | null)[];
  }[];
  notes: string[];
  seconds: number | null;
}

export function studyFitReport(fit: StudyFitResult): StudyFitReport {
  const estimates: StudyFitReport['estimates'] = {};
  for (const [name, e] of Object.entries(fit.estimates)) {
    estimates[name] = { value: round(e.value), unit: e.unit, rse: round(e.rse, 3), ci95: [round(e.lower), round(e.upper)] };
    if (e.fixed) estimates[name].fixed = true;
  }
  const omega: StudyFitReport['omega'] = {};
  for (const [name, e] of Object.entries(fit.omega)) {
    if (!e) continue;
    omega[name] = { sd: round(e.sd, 4), rse: round(e.rse, 3), shrinkage: round(e.shrinkage, 3) };
    if (e.fixed) omega[name].fixed = true;
  }
  const residual: StudyFitReport['residual'] = {};
  for (const stage of ['pk', 'pd'] as const) {
    const r = fit.residual[stage];
    if (!r) continue;
    residual[stage] = {};
    for (const [component, e] of Object.entries(r)) {
      if (e) residual[stage][component] = { value: round(e.value, 4), unit: e.unit, rse: round(e.rse, 3) };
    }
  }
  const pkLabel = fit.pk?.label ?? `${fit.model.pk.route === 'oral' ? 'oral' : 'IV'} ${fit.model.pk.compartments}-compartment (fixed)`;
  return {
    study: fit.spec.name,
    structure: { pk: pkLabel, pd: fit.pd?.label ?? null },
    estimates,
    omega,
    residual,
    ofv: round(fit.ofv, 8),
    aic: round(fit.aic, 8),
    bic: round(fit.bic, 8),
    observations: fit.nObservations,
    below_loq: (fit.pk?.data.censored ?? 0) + (fit.pd?.data.censored ?? 0),
    subjects: fit.study.subjects.length,
    comparison: fit.comparison.map((c) => ({
      stage: c.stage,
      model: c.model,
      ofv: round(c.ofv, 8),
      aic: round(c.aic, 8),
      delta_aic: round(c.deltaAic, 4),
      parameters: c.parameters,
      chosen: c.chosen,
      converged: c.converged,
    })),
    estimation: [fit.pk, fit.pd].flatMap((stage) => {
      if (!stage) return [];
      const c = stage.foce.covariance ? parameterCorrelation(stage.foce.covariance, stage.foce.covarianceNames) : null;
      return [
        {
          stage: stage.stage,
          model: stage.label,
          ofv_trace: stage.foce.ofvTrace.map((v) => round(v, 8)),
          condition_number: c ? round(c.conditionNumber, 4) : null,
          eigenvalues: c ? c.eigenvalues.map((v) => round(v, 4)) : [],
        },
      ];
    }),
    notes: fit.notes,
    seconds: round(fit.elapsedMs / 1000, 3),
  };
}
