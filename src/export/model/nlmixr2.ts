/**
 * A fitted model as an nlmixr2 model function (ini() and model() blocks), final estimates as initial
 * values, with its data (nonmem-data.ts, DV as observed: nlmixr2's lnorm() takes the natural scale):
 * - ini(): typical values of positive parameters on the log scale (`tcl <- log(2.3)`), IMAX within
 *   c(0, IMAX, 1), E0 and a direct EMAX as they are, covariate effects (a factor's above 0), η
 *   variances (`eta.cl ~ 0.09`), residual SDs; `fix()` where the spec fixed a value;
 * - model(): the individual parameters as exported-model.ts writes them, VC = V / factor, the ODEs
 *   (model-equations.ts; linCmt() is not used so that PK and PD share one system), `alag(depot)`
 *   for a lag, `response(0) <- base` for an indirect response, and the endpoints: `cp` (DVID 1) and
 *   `eff` (DVID 2), in that order (nlmixr2 matches a DVID column to the endpoints' order), with
 *   add()/prop() and combined2() (sum of variances) or combined1() (sum of SDs), or lnorm().
 * Names: lower case (cl, v, ka, tlag, q, vp — the spec's V2 —, e0, emax, …); θ t<name>, effects
 * <parameter>.<column> (cl.wt), η eta.<name>; covariates as the data's columns.
 */
import type { StudySpec } from '../../study/study-spec';
import {
  headerLines,
  exportedModel,
  type ExportableFit,
  type ExportedModel,
  type ModelExport,
  numberText,
  thetaLabel,
} from './exported-model';
import {
  canonicalName,
  type Compartment,
  derivedLines,
  type Dialect,
  effectExpression,
  odeRightHandSides,
  parameterLines,
  residualComponents,
} from './model-equations';
import { nonmemData } from './nonmem-data';
import type { ModelExportOptions } from './nonmem';

/** An R name from a column or parameter name. */
const rName = (x: string): string => x.toLowerCase().replace(/[^a-z0-9.]+/g, '_');

/** The name of θ k in ini(). */
export function nlmixr2ThetaName(m: ExportedModel, k: number): string {
  const t = m.thetas[k];
  const on = rName(canonicalName(t.parameter));
  return t.role === 'typical' ? `t${on}` : `${on}.${rName((t.effect as { column: string }).column)}`;
}

const R_COMPARTMENTS: Record<Compartment, string> = {
  DEPOT: 'depot',
  CENTRAL: 'central',
  PERIPH: 'periph',
  EFFECT: 'effect',
  RESPONSE: 'response',
};

function dialect(m: ExportedModel): Dialect {
  return {
    name: (v) => v.toLowerCase(),
    amount: (c) => R_COMPARTMENTS[c],
    pow: (a, b) => `(${a})^(${b})`,
    exp: (x) => `exp(${x})`,
    log: (x) => `log(${x})`,
    sqrt: (x) => `sqrt(${x})`,
    abs: (x) => `abs(${x})`,
    theta: (k) =>
      m.thetas[k].bounds === 'positive' && m.thetas[k].role === 'typical' ? `exp(${nlmixr2ThetaName(m, k)})` : nlmixr2ThetaName(m, k),
    eta: (k) => `eta.${rName(canonicalName(m.etas[k].parameter))}`,
    covariate: (c) => c,
    assign: (name, e) => `${name} <- ${e}`,
  };
}

function iniLines(m: ExportedModel, d: Dialect): string[] {
  const lines: string[] = [];
  m.thetas.forEach((t, k) => {
    const v = numberText(t.value);
    const logScale = t.bounds === 'positive' && t.role === 'typical';
    let value = logScale ? `log(${v})` : v;
    if (t.fixed) value = `fix(${value})`;
    else if (t.bounds === 'fraction') value = `c(0, ${v}, 1)`;
    else if (t.bounds === 'positive' && !logScale) value = `c(0, ${v})`;
    lines.push(`${nlmixr2ThetaName(m, k)} <- ${value} # ${thetaLabel(t)}`);
  });
  m.etas.forEach((e, k) => lines.push(`${d.eta(k)} ~ ${e.fixed ? `fix(${numberText(e.variance)})` : numberText(e.variance)}`));
  for (const r of m.residuals) {
    for (const c of residualComponents(r))
      lines.push(`${residualName(r.endpoint, r.values.scale === 'log' ? 'sd' : c)} <- c(0, ${numberText(r.values[c])})`);
  }
  return lines;
}

function residualName(endpoint: 'pk' | 'pd', component: 'sd' | 'additive' | 'proportional'): string {
  return `${endpoint}.${component === 'additive' ? 'add' : component === 'proportional' ? 'prop' : 'sd'}`;
}

/** The model function's R text (<base>.R) and its data (<base>.nlmixr2.csv). */
export function exportNlmixr2(spec: StudySpec, fit: ExportableFit, options: ModelExportOptions = {}): ModelExport {
  const base = options.baseName ?? 'model';
  const m = exportedModel(spec, fit);
  const d = dialect(m);
  const pk = m.model.pk;
  const pd = m.model.pd;
  const model: string[] = [...parameterLines(m, d), ...derivedLines(m, d, { rates: true }), 'cpd <- central/vc'];
  for (const { compartment, rhs } of odeRightHandSides(m, d, 'cpd')) model.push(`d/dt(${R_COMPARTMENTS[compartment]}) <- ${rhs}`);
  if (pk.route === 'oral' && pk.lag) model.push('alag(depot) <- tlag');
  if (pd?.family === 'indirect') model.push('response(0) <- base');
  model.push('cp <- central/vc');
  if (pd?.family === 'direct') model.push(`eff <- ${effectExpression(m, 'cp', d)}`);
  if (pd?.family === 'effect-compartment') model.push(`eff <- ${effectExpression(m, 'effect', d)}`);
  if (pd?.family === 'indirect') model.push('eff <- response');
  for (const r of m.residuals) {
    const variable = r.endpoint === 'pk' ? 'cp' : 'eff';
    if (r.values.scale === 'log') {
      model.push(`${variable} ~ lnorm(${residualName(r.endpoint, 'sd')})`);
      continue;
    }
    const parts = residualComponents(r).map((c) => `${c === 'additive' ? 'add' : 'prop'}(${residualName(r.endpoint, c)})`);
    if (parts.length === 2) parts.push(r.values.combined === 'sum-of-sds' ? 'combined1()' : 'combined2()');
    model.push(`${variable} ~ ${parts.join(' + ')}`);
  }
  // Not "model": inside the function, model({…}) would call it instead of nlmixr2's.
  const name = 'qpkpd_model';
  const text = [
    `# ${spec.name.replace(/[\r\n]+/g, ' ')}`,
    ...headerLines(m, 'nlmixr2 model', `${base}.nlmixr2.csv`).map((l) => `# ${l}`),
    `# Use: fit <- nlmixr2::nlmixr2(${name}, read.csv("${base}.nlmixr2.csv"), est = "focei")`,
    `${name} <- function() {`,
    '  ini({',
    ...iniLines(m, d).map((l) => `    ${l}`),
    '  })',
    '  model({',
    ...model.map((l) => `    ${l}`),
    '  })',
    '}',
  ];
  return {
    files: [
      { name: `${base}.R`, text: `${text.join('\n')}\n` },
      { name: `${base}.nlmixr2.csv`, text: nonmemData(m, { logScale: false }).text },
    ],
  };
}
