/**
 * The model's equations once, for every export language: the compartments, the individual
 * parameters (exported-model.ts), the rate constants, the ODE right-hand sides, the PD effect and the
 * residual SD — each written through a `Dialect` (how a language names variables, compartment
 * amounts, θ, η, covariates, powers and assignments).
 *
 * Canonical names (a language may change their case): CL, V, KA, TLAG, Q, VP (the peripheral volume:
 * the spec's V2, renamed because NONMEM's ADVAN4 TRANS4 reserves V2 for the central volume), E0,
 * BASE, EMAX, IMAX, EC50, IC50, HILL, KE0, KOUT; derived VC = V / volume factor (the central volume in
 * the data's units), K10 = CL/V, K12 = Q/V, K21 = Q/VP, KIN = BASE·KOUT, CP = central amount / VC.
 *
 * Compartments, numbered as NONMEM's ADVAN1–4 number them: oral — DEPOT 1, CENTRAL 2, PERIPH 3;
 * IV — CENTRAL 1, PERIPH 2; then EFFECT (effect compartment, Ce) or RESPONSE (indirect response, R)
 * when the PD model has a state. Effects, as ../../pkpd/structural/pd.ts:
 *   direct / effect compartment: E = E0 + EMAX·X^h/(EC50^h + X^h) (increase), E0·(1 − IMAX·X^h/(IC50^h + X^h)) (decrease),
 *   X = CP (direct) or Ce; indirect: D = MAX·CP^h/(C50^h + CP^h), R(0) = BASE,
 *   dR/dt = KIN(1 ∓ D) − KOUT·R (production) or KIN − KOUT(1 ∓ D)·R (loss).
 */
import type { ModelParameter } from '../../study/study-spec';
import { type ExportedModel, type ExportParameter, type ExportResidual, type ExportTheta, numberText } from './exported-model';

export type Compartment = 'DEPOT' | 'CENTRAL' | 'PERIPH' | 'EFFECT' | 'RESPONSE';

export interface Dialect {
  /** A variable's name in the language (canonical upper-case name in). */
  name(variable: string): string;
  /** A compartment's amount (1-based number in the model's order). */
  amount(compartment: Compartment, number: number): string;
  pow(base: string, exponent: string): string;
  exp(x: string): string;
  log(x: string): string;
  sqrt(x: string): string;
  abs(x: string): string;
  /** θ k (0-based, in ExportedModel.thetas) as its typical value or effect θ in the language. */
  theta(k: number): string;
  /** η k (0-based, in ExportedModel.etas). */
  eta(k: number): string;
  covariate(column: string): string;
  assign(name: string, expression: string): string;
}

/** The canonical name of a parameter (V2 → VP, see the header). */
export function canonicalName(parameter: ModelParameter): string {
  return parameter === 'V2' ? 'VP' : parameter;
}

/** The model's compartments in NONMEM order. */
export function compartments(m: ExportedModel): Compartment[] {
  const out: Compartment[] = m.model.pk.route === 'oral' ? ['DEPOT', 'CENTRAL'] : ['CENTRAL'];
  if (m.model.pk.compartments === 2) out.push('PERIPH');
  const pd = m.model.pd;
  if (pd?.family === 'effect-compartment') out.push('EFFECT');
  if (pd?.family === 'indirect') out.push('RESPONSE');
  return out;
}

/** The 1-based number of a compartment (0: the model has none). */
export function compartmentNumber(m: ExportedModel, c: Compartment): number {
  return compartments(m).indexOf(c) + 1;
}

/** Whether the PD model has a state (an ODE beyond linear PK). */
export function pdHasState(m: ExportedModel): boolean {
  return m.model.pd !== undefined && m.model.pd.family !== 'direct';
}

/** θ · Π effects of a parameter (its typical value). */
function typicalExpression(m: ExportedModel, p: ExportParameter, d: Dialect): string {
  const factors = [d.theta(p.theta)];
  for (const k of p.effects) {
    const t: ExportTheta = m.thetas[k];
    const e = t.effect as NonNullable<ExportTheta['effect']>;
    const x = d.covariate(e.column);
    if (e.form === 'power') factors.push(d.pow(`${x}/${numberText(e.reference)}`, d.theta(k)));
    else if (e.form === 'linear') factors.push(`(1 + ${d.theta(k)}*(${x} - ${numberText(e.reference)}))`);
    else factors.push(d.pow(d.theta(k), x));
  }
  return factors.join('*');
}

/** Assignments of every individual parameter: TV<P> = θ·Π g, then P with its η. */
export function parameterLines(m: ExportedModel, d: Dialect): string[] {
  const lines: string[] = [];
  for (const p of m.parameters) {
    const name = canonicalName(p.name);
    const tv = d.name(`TV${name}`);
    lines.push(d.assign(tv, typicalExpression(m, p, d)));
    let value = tv;
    if (p.eta >= 0) {
      value = p.logit ? `1/(1 + ${d.exp(`-(${d.log(`${tv}/(1 - ${tv})`)} + ${d.eta(p.eta)})`)})` : `${tv}*${d.exp(d.eta(p.eta))}`;
    }
    lines.push(d.assign(d.name(name), value));
  }
  return lines;
}

/** VC and the rate constants the ODEs use. */
export function derivedLines(m: ExportedModel, d: Dialect, options: { rates: boolean }): string[] {
  const n = (x: string): string => d.name(x);
  const factor = m.volumeFactor === 1 ? '' : `/${numberText(m.volumeFactor)}`;
  const lines = [d.assign(n('VC'), `${n('V')}${factor}`)];
  if (options.rates) {
    lines.push(d.assign(n('K10'), `${n('CL')}/${n('V')}`));
    if (m.model.pk.compartments === 2) {
      lines.push(d.assign(n('K12'), `${n('Q')}/${n('V')}`), d.assign(n('K21'), `${n('Q')}/${n('VP')}`));
    }
  }
  if (m.model.pd?.family === 'indirect') lines.push(d.assign(n('KIN'), `${n('BASE')}*${n('KOUT')}`));
  return lines;
}

/** X^h/(C50^h + X^h), or X/(C50 + X) without a Hill exponent. */
function occupancy(x: string, c50: string, sigmoid: boolean, d: Dialect): string {
  if (!sigmoid) return `${x}/(${c50} + ${x})`;
  const h = d.name('HILL');
  return `${d.pow(x, h)}/(${d.pow(c50, h)} + ${d.pow(x, h)})`;
}

/** The direct or effect-compartment response at concentration expression `x`. */
export function effectExpression(m: ExportedModel, x: string, d: Dialect): string {
  const pd = m.model.pd;
  if (!pd || pd.family === 'indirect') throw new Error('effectExpression: a direct or effect-compartment model');
  const n = (v: string): string => d.name(v);
  if (pd.direction === 'increase') return `${n('E0')} + ${n('EMAX')}*${occupancy(x, n('EC50'), pd.sigmoid, d)}`;
  return `${n('E0')}*(1 - ${n('IMAX')}*${occupancy(x, n('IC50'), pd.sigmoid, d)})`;
}

/** Right-hand side of each compartment's ODE (with `cp`, the central concentration expression). */
export function odeRightHandSides(m: ExportedModel, d: Dialect, cp: string): { compartment: Compartment; rhs: string }[] {
  const n = (v: string): string => d.name(v);
  const a = (c: Compartment): string => d.amount(c, compartmentNumber(m, c));
  const out: { compartment: Compartment; rhs: string }[] = [];
  const oral = m.model.pk.route === 'oral';
  const two = m.model.pk.compartments === 2;
  if (oral) out.push({ compartment: 'DEPOT', rhs: `-${n('KA')}*${a('DEPOT')}` });
  const central = [oral ? `${n('KA')}*${a('DEPOT')} - ` : '-', `${n('K10')}*${a('CENTRAL')}`];
  if (two) central.push(` - ${n('K12')}*${a('CENTRAL')} + ${n('K21')}*${a('PERIPH')}`);
  out.push({ compartment: 'CENTRAL', rhs: central.join('') });
  if (two) out.push({ compartment: 'PERIPH', rhs: `${n('K12')}*${a('CENTRAL')} - ${n('K21')}*${a('PERIPH')}` });
  const pd = m.model.pd;
  if (pd?.family === 'effect-compartment') out.push({ compartment: 'EFFECT', rhs: `${n('KE0')}*(${cp} - ${a('EFFECT')})` });
  if (pd?.family === 'indirect') {
    const inhibit = pd.type.startsWith('inhibit');
    const drug = `${n(inhibit ? 'IMAX' : 'EMAX')}*${occupancy(cp, n(inhibit ? 'IC50' : 'EC50'), pd.sigmoid === true, d)}`;
    const sign = inhibit ? '-' : '+';
    const r = a('RESPONSE');
    const rhs = pd.type.endsWith('production')
      ? `${n('KIN')}*(1 ${sign} ${drug}) - ${n('KOUT')}*${r}`
      : `${n('KIN')} - ${n('KOUT')}*(1 ${sign} ${drug})*${r}`;
    out.push({ compartment: 'RESPONSE', rhs });
  }
  return out;
}

/**
 * The residual SD of an endpoint at prediction `f` (on the log scale for an exponential error), from
 * its SDs as the language names them (`sd('additive')`, `sd('proportional')`): ../../pkpd/residual-error.ts.
 */
export function residualSdExpression(
  r: ExportResidual,
  f: string,
  sd: (component: 'additive' | 'proportional') => string,
  d: Dialect,
): string {
  const v = r.values;
  if (v.scale === 'log') return sd('additive');
  const hasAdd = v.additive > 0;
  const hasProp = v.proportional > 0;
  if (hasAdd && !hasProp) return sd('additive');
  if (hasProp && !hasAdd) return `${sd('proportional')}*${d.abs(f)}`;
  if (v.combined === 'sum-of-sds') return `${sd('additive')} + ${sd('proportional')}*${d.abs(f)}`;
  return d.sqrt(`${d.pow(sd('additive'), '2')} + ${d.pow(`${sd('proportional')}*${f}`, '2')}`);
}

/** The residual components an endpoint has (SDs above zero; the log scale has its one SD as `additive`). */
export function residualComponents(r: ExportResidual): ('additive' | 'proportional')[] {
  if (r.values.scale === 'log') return ['additive'];
  return (['additive', 'proportional'] as const).filter((c) => r.values[c] > 0);
}
