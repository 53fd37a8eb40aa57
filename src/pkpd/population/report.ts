/**
 * A study fit as plain JSON for people and scripts (the headless `fit` command, bench files): named
 * estimates in the spec's display units with RSE and 95 % interval, between-subject SDs with
 * shrinkage, residual errors, the objective and information criteria, the models compared, notes.
 * Numbers are rounded to 4–6 significant digits; NaN (no standard error) becomes null.
 */
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
    notes: fit.notes,
    seconds: round(fit.elapsedMs / 1000, 3),
  };
}
