/**
 * The tables of the fit panel from a study fit's report (src/pkpd/population/report.ts
 * `StudyFitReport`): per stage, the typical values with their display units and the covariate
 * effects written `CL~WT`, each with RSE and 95 % interval (or "fixed"); the between-subject SDs with
 * shrinkage; the residual errors; the models compared with ΔAIC and the one kept. Text only — the
 * numbers are the report's. Pure; tested in Node (fit-panel-model.test.ts).
 */
import type { StudyFitReport } from '../../pkpd/population/report';
import { PK_PARAMETERS } from '../../study/study-spec';
import { formatCount, formatNumber, formatSignificant } from '../../text/format';

export type FitStage = 'pk' | 'pd';

export interface EstimateRow {
  /** θ name as the report has it: "CL", "CL~WT". */
  name: string;
  kind: 'typical' | 'effect';
  /** "CL", "covariate effect CL~WT". */
  label: string;
  value: string;
  unit: string;
  rse: string;
  ci: string;
  fixed: boolean;
}

export interface OmegaRow {
  name: string;
  label: string;
  sd: string;
  rse: string;
  shrinkage: string;
  fixed: boolean;
}

export interface ResidualRow {
  stage: FitStage;
  component: string;
  label: string;
  value: string;
  rse: string;
}

export interface ComparisonRow {
  stage: string;
  model: string;
  parameters: number;
  ofv: string;
  aic: string;
  deltaAic: string;
  chosen: boolean;
  converged: boolean;
}

export interface FitTables {
  structure: { pk: string; pd: string | null };
  estimates: Record<FitStage, EstimateRow[]>;
  omega: Record<FitStage, OmegaRow[]>;
  residual: ResidualRow[];
  comparison: ComparisonRow[];
  /** "OFV 1,234.5 · AIC 1,260.5 · BIC 1,300.2 on 1,200 observations of 48 subjects". */
  summary: string;
}

const PK_NAMES: readonly string[] = PK_PARAMETERS;

/** The stage of a θ or η by the parameter it concerns (the part before "~" of an effect). */
export function stageOf(name: string): FitStage {
  return PK_NAMES.includes(name.split('~')[0]) ? 'pk' : 'pd';
}

const dash = '–';
/** `digits` significant digits, however small the number (formatSignificant stops at three decimals: 0.0047 would read 0.005). */
const num = (n: number | null, digits = 4): string =>
  n === null || !Number.isFinite(n) ? dash : formatNumber(Number(n.toPrecision(digits)));
const percent = (n: number | null): string => (n === null ? dash : `${formatSignificant(n, 2)} %`);

function estimateRow(name: string, e: StudyFitReport['estimates'][string]): EstimateRow {
  const kind = name.includes('~') ? 'effect' : 'typical';
  const [lo, hi] = e.ci95;
  return {
    name,
    kind,
    label: kind === 'effect' ? `${name} (covariate effect)` : name,
    value: num(e.value),
    unit: e.unit,
    rse: e.fixed ? 'fixed' : percent(e.rse),
    ci: e.fixed || lo === null || hi === null ? dash : `${num(lo, 3)} – ${num(hi, 3)}`,
    fixed: e.fixed === true,
  };
}

const RESIDUAL_LABELS: Readonly<Record<string, string>> = {
  exponential: 'exponential (SD of ln DV)',
  additive: 'additive (SD)',
  proportional: 'proportional (CV)',
};

export function fitTables(report: StudyFitReport): FitTables {
  const estimates: Record<FitStage, EstimateRow[]> = { pk: [], pd: [] };
  for (const [name, e] of Object.entries(report.estimates)) estimates[stageOf(name)].push(estimateRow(name, e));
  const omega: Record<FitStage, OmegaRow[]> = { pk: [], pd: [] };
  for (const [name, o] of Object.entries(report.omega)) {
    omega[stageOf(name)].push({
      name,
      label: `ω ${name} (SD of η)`,
      sd: num(o.sd, 3),
      rse: o.fixed ? 'fixed' : percent(o.rse),
      shrinkage: o.shrinkage === null ? dash : `${Math.round(100 * o.shrinkage)} %`,
      fixed: o.fixed === true,
    });
  }
  const residual: ResidualRow[] = [];
  for (const stage of ['pk', 'pd'] as const) {
    for (const [component, r] of Object.entries(report.residual[stage] ?? {})) {
      residual.push({
        stage,
        component,
        label: `${stage.toUpperCase()} ${RESIDUAL_LABELS[component] ?? component}`,
        value: `${num(r.value, 3)}${r.unit ? ` ${r.unit}` : ''}`,
        rse: percent(r.rse),
      });
    }
  }
  const comparison = report.comparison.map((c) => ({
    stage: c.stage.toUpperCase(),
    model: c.model,
    parameters: c.parameters,
    ofv: num(c.ofv, 6),
    aic: num(c.aic, 6),
    deltaAic: c.delta_aic === null ? dash : c.delta_aic.toFixed(1),
    chosen: c.chosen,
    converged: c.converged,
  }));
  const summary = `OFV ${num(report.ofv, 6)} · AIC ${num(report.aic, 6)} · BIC ${num(report.bic, 6)} on ${formatCount(report.observations)} observations of ${formatCount(report.subjects)} subjects`;
  return { structure: report.structure, estimates, omega, residual, comparison, summary };
}
