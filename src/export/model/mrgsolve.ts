/**
 * A fitted model as mrgsolve model code (<base>.cpp, for mrgsolve::mread), final estimates as its
 * parameters, with its data (nonmem-data.ts, DV as observed) for `data_set()`:
 * - $PARAM: θ (typical values T<name> in display units, effects <P>_<COLUMN>), the covariates the
 *   effects read (default: the effect's reference, 0 for a factor; the data's columns replace them)
 *   and the residual SDs;
 * - $CMT (DEPOT, CENTRAL, PERIPH, EFFECT, RESPONSE as the structure has them), $OMEGA (variances,
 *   labelled ETA_<name>), $SIGMA (1 per endpoint: the SDs are parameters);
 * - $MAIN: the individual parameters as exported-model.ts writes them, VC = V / factor, ALAG_DEPOT,
 *   RESPONSE_0 = BASE; $ODE: the system of model-equations.ts; $TABLE: CP (DVID 1) and EFF (DVID 2)
 *   with their simulated observations (PK_Y, PD_Y; the log-scale error as C·e^{SD·ε}); $CAPTURE.
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
  compartments,
  derivedLines,
  type Dialect,
  effectExpression,
  odeRightHandSides,
  parameterLines,
  residualComponents,
  residualSdExpression,
} from './model-equations';
import { nonmemData } from './nonmem-data';
import type { ModelExportOptions } from './nonmem';

const cName = (x: string): string => x.toUpperCase().replace(/[^A-Z0-9_]+/g, '_');

/** The $PARAM name of θ k. */
export function mrgsolveThetaName(m: ExportedModel, k: number): string {
  const t = m.thetas[k];
  const on = canonicalName(t.parameter);
  return t.role === 'typical' ? `T${on}` : `${on}_${cName((t.effect as { column: string }).column)}`;
}

function residualName(endpoint: 'pk' | 'pd', component: 'additive' | 'proportional', log: boolean): string {
  return `${endpoint.toUpperCase()}_${log ? 'SD' : component === 'additive' ? 'ADD' : 'PROP'}`;
}

function dialect(m: ExportedModel): Dialect {
  return {
    name: (v) => v,
    amount: (c) => c,
    pow: (a, b) => `pow(${a}, ${b})`,
    exp: (x) => `exp(${x})`,
    log: (x) => `log(${x})`,
    sqrt: (x) => `sqrt(${x})`,
    abs: (x) => `fabs(${x})`,
    theta: (k) => mrgsolveThetaName(m, k),
    eta: (k) => `ETA(${k + 1})`,
    covariate: (c) => cName(c),
    assign: (name, e) => `double ${name} = ${e};`,
  };
}

/** The model code (<base>.cpp) and its data (<base>.mrgsolve.csv). */
export function exportMrgsolve(spec: StudySpec, fit: ExportableFit, options: ModelExportOptions = {}): ModelExport {
  const base = options.baseName ?? 'model';
  const m = exportedModel(spec, fit);
  const d = dialect(m);
  const pk = m.model.pk;
  const pd = m.model.pd;
  const params: string[] = m.thetas.map((t, k) => `${mrgsolveThetaName(m, k)} = ${numberText(t.value)} // ${thetaLabel(t)}`);
  for (const column of m.covariates) {
    const effect = m.thetas.find((t) => t.effect?.column === column)?.effect;
    const value = effect && effect.form !== 'factor' ? effect.reference : 0;
    params.push(`${cName(column)} = ${numberText(value)} // covariate (the data's column replaces it)`);
  }
  for (const r of m.residuals) {
    for (const c of residualComponents(r))
      params.push(`${residualName(r.endpoint, c, r.values.scale === 'log')} = ${numberText(r.values[c])}`);
  }
  const main = [...parameterLines(m, d), ...derivedLines(m, d, { rates: true })];
  if (pk.route === 'oral' && pk.lag) main.push('ALAG_DEPOT = TLAG;');
  if (pd?.family === 'indirect') main.push('RESPONSE_0 = BASE;');
  const ode = [
    'double CPD = CENTRAL/VC;',
    ...odeRightHandSides(m, d, 'CPD').map(({ compartment, rhs }) => `dxdt_${compartment} = ${rhs};`),
  ];
  const table = ['double CP = CENTRAL/VC;'];
  const capture = ['CP'];
  if (pd?.family === 'direct') table.push(`double EFF = ${effectExpression(m, 'CP', d)};`);
  if (pd?.family === 'effect-compartment') table.push(`double EFF = ${effectExpression(m, 'EFFECT', d)};`);
  if (pd?.family === 'indirect') table.push('double EFF = RESPONSE;');
  if (pd) capture.push('EFF');
  m.residuals.forEach((r, i) => {
    const e = r.endpoint.toUpperCase();
    const f = r.endpoint === 'pk' ? 'CP' : 'EFF';
    const log = r.values.scale === 'log';
    const sd = (c: 'additive' | 'proportional'): string => residualName(r.endpoint, c, log);
    if (log) table.push(`double ${e}_Y = ${f}*exp(${sd('additive')}*EPS(${i + 1}));`);
    else table.push(`double ${e}_W = ${residualSdExpression(r, f, sd, d)};`, `double ${e}_Y = ${f} + ${e}_W*EPS(${i + 1});`);
    capture.push(`${e}_Y`);
  });
  const etaLabels = m.etas.map((e) => `ETA_${canonicalName(e.parameter)}`);
  const text = [
    `$PROB ${spec.name.replace(/[\r\n]+/g, ' ')}`,
    ...headerLines(m, 'mrgsolve model', `${base}.mrgsolve.csv`),
    '',
    '$PARAM',
    ...params,
    '',
    `$CMT ${compartments(m).join(' ')}`,
    '',
    ...(m.etas.length > 0 ? [`$OMEGA @labels ${etaLabels.join(' ')}`, m.etas.map((e) => numberText(e.variance)).join(' '), ''] : []),
    ...(m.residuals.length > 0
      ? [`$SIGMA @labels ${m.residuals.map((r) => `EPS_${r.endpoint.toUpperCase()}`).join(' ')}`, m.residuals.map(() => '1').join(' '), '']
      : []),
    '$MAIN',
    ...main,
    '',
    '$ODE',
    ...ode,
    '',
    '$TABLE',
    ...table,
    '',
    `$CAPTURE ${capture.join(' ')}`,
  ];
  return {
    files: [
      { name: `${base}.cpp`, text: `${text.join('\n')}\n` },
      { name: `${base}.mrgsolve.csv`, text: nonmemData(m, { logScale: false }).text },
    ],
  };
}
