/**
 * A fitted model as a NONMEM control stream with its data file (nonmem-data.ts), final estimates as
 * initial values:
 * - linear PK without a PD state: ADVAN1 (IV 1-compartment), ADVAN2 (oral 1), ADVAN3 TRANS4 (IV 2),
 *   ADVAN4 TRANS4 (oral 2), TRANS2 for one compartment, S = VC, ALAG1 = TLAG for a lag; a direct PD
 *   model is written in $ERROR on the central concentration;
 * - an effect compartment or an indirect response: ADVAN13 with $MODEL and $DES (the same PK as
 *   rate constants, Ce or R as one more compartment; A_0 = BASE for R);
 * - θ in display units (volumes L, clearances L per time unit; VC = V / factor converts to the data's
 *   units), with bounds 0 (log-scale θ) or 0 and 1 (IMAX), FIX where the spec fixed them; Ω as
 *   variances; residual SDs as θ with $SIGMA 1 FIX per endpoint, Y = IPRED + W·EPS, W the SD
 *   (../../pkpd/residual-error.ts: sum of variances, sum of SDs, or the log-scale SD with DV = ln C);
 *   PK records DVID 1 (EPS(1)), PD records DVID 2 (EPS(2));
 * - $EST METHOD=COND INTER, $COV, $TABLE of the predictions and of the individual parameters.
 * The fit was sequential (PK, then PD given the individual PK); NONMEM estimates the joint model.
 */
import { headerLines, exportedModel, type ExportableFit, type ModelExport, numberText, thetaLabel } from './exported-model';
import {
  canonicalName,
  compartmentNumber,
  compartments,
  derivedLines,
  type Dialect,
  effectExpression,
  odeRightHandSides,
  parameterLines,
  pdHasState,
  residualComponents,
  residualSdExpression,
} from './model-equations';
import { nonmemData } from './nonmem-data';
import type { StudySpec } from '../../study/study-spec';

export interface ModelExportOptions {
  /** File names without extension (default "model"). */
  baseName?: string;
}

const nonmemDialect = (residualTheta: Map<string, number>): Dialect & { residual: Map<string, number> } => ({
  residual: residualTheta,
  name: (v) => v,
  amount: (_c, n) => `A(${n})`,
  pow: (a, b) => `(${a})**(${b})`,
  exp: (x) => `EXP(${x})`,
  log: (x) => `LOG(${x})`,
  sqrt: (x) => `SQRT(${x})`,
  abs: (x) => `ABS(${x})`,
  theta: (k) => `THETA(${k + 1})`,
  eta: (k) => `ETA(${k + 1})`,
  covariate: (c) => c,
  assign: (name, e) => `${name} = ${e}`,
});

const ADVAN: Record<string, { advan: string; trans: string[] }> = {
  'iv 1': { advan: 'ADVAN1 TRANS2', trans: [] },
  'oral 1': { advan: 'ADVAN2 TRANS2', trans: [] },
  'iv 2': { advan: 'ADVAN3 TRANS4', trans: ['V1 = V', 'V2 = VP'] },
  'oral 2': { advan: 'ADVAN4 TRANS4', trans: ['V2 = V', 'V3 = VP'] },
};

/** The control stream (<base>.ctl) and its data (<base>.csv). */
export function exportNonmem(spec: StudySpec, fit: ExportableFit, options: ModelExportOptions = {}): ModelExport {
  const base = options.baseName ?? 'model';
  const m = exportedModel(spec, fit);
  const data = nonmemData(m, { logScale: true });
  const residualTheta = new Map<string, number>();
  m.residuals.forEach((r) =>
    residualComponents(r).forEach((c) => residualTheta.set(`${r.endpoint}:${c}`, m.thetas.length + residualTheta.size)),
  );
  const d = nonmemDialect(residualTheta);
  const ode = pdHasState(m);
  const pk = m.model.pk;
  const advan = ADVAN[`${pk.route} ${pk.compartments}`];
  const central = compartmentNumber(m, 'CENTRAL');
  const u = spec.units;
  const logPk = m.residuals.some((r) => r.endpoint === 'pk' && r.values.scale === 'log');
  const lines = [
    `$PROBLEM ${spec.name.replace(/[\r\n]+/g, ' ')}`,
    ...headerLines(m, 'NONMEM control stream', `${base}.csv`, logPk ? '; PK DV = ln(concentration): log-transform-both-sides' : '').map(
      (l) => `; ${l}`,
    ),
    `$INPUT ${data.columns.join(' ')}`,
    `$DATA ${base}.csv IGNORE=@`,
  ];
  if (ode) {
    lines.push('$SUBROUTINES ADVAN13 TOL=9', '$MODEL');
    compartments(m).forEach((c, i) => {
      const flags = [i === 0 ? 'DEFDOSE' : '', c === 'CENTRAL' ? 'DEFOBS' : ''].filter(Boolean);
      lines.push(`  COMP=(${[c, ...flags].join(',')})`);
    });
  } else {
    lines.push(`$SUBROUTINES ${advan.advan}`);
  }
  lines.push('$PK', ...parameterLines(m, d), ...derivedLines(m, d, { rates: ode }));
  if (!ode) lines.push(...advan.trans, `S${central} = VC`);
  if (pk.route === 'oral' && pk.lag) lines.push('ALAG1 = TLAG');
  if (m.model.pd?.family === 'indirect') lines.push(`A_0(${compartmentNumber(m, 'RESPONSE')}) = BASE`);
  if (ode) {
    lines.push('$DES', `CPD = A(${central})/VC`);
    for (const { compartment, rhs } of odeRightHandSides(m, d, 'CPD')) lines.push(`DADT(${compartmentNumber(m, compartment)}) = ${rhs}`);
  }
  lines.push('$ERROR', `CP = A(${central})/VC`);
  const pd = m.model.pd;
  if (pd?.family === 'direct') lines.push(`E = ${effectExpression(m, 'CP', d)}`);
  if (pd?.family === 'effect-compartment') lines.push(`E = ${effectExpression(m, `A(${compartmentNumber(m, 'EFFECT')})`, d)}`);
  if (pd?.family === 'indirect') lines.push(`E = A(${compartmentNumber(m, 'RESPONSE')})`);
  m.residuals.forEach((r, i) => {
    const sd = (c: 'additive' | 'proportional'): string => `THETA(${(residualTheta.get(`${r.endpoint}:${c}`) as number) + 1})`;
    const f = r.endpoint === 'pk' ? 'CP' : 'E';
    const body: string[] = [];
    if (r.values.scale === 'log') body.push('IPRED = -30', `IF (${f}.GT.0) IPRED = LOG(${f})`);
    else body.push(`IPRED = ${f}`);
    body.push(`W = ${residualSdExpression(r, 'IPRED', sd, d)}`, 'IF (W.EQ.0) W = 1', `Y = IPRED + W*EPS(${i + 1})`);
    if (i === 0) lines.push(...body);
    else lines.push(`IF (DVID.EQ.${r.dvid}) THEN`, ...body.map((b) => `  ${b}`), 'ENDIF');
  });
  lines.push('IRES = DV - IPRED', 'IWRES = IRES/W', '$THETA');
  m.thetas.forEach((t, k) => {
    const value = numberText(t.value);
    const text = t.fixed
      ? `${value} FIX`
      : t.bounds === 'positive'
        ? `(0, ${value})`
        : t.bounds === 'fraction'
          ? `(0, ${value}, 1)`
          : value;
    lines.push(`${text} ; ${k + 1} ${thetaLabel(t)}`);
  });
  for (const r of m.residuals) {
    for (const c of residualComponents(r)) {
      const what =
        r.values.scale === 'log'
          ? 'SD of ln DV'
          : c === 'additive'
            ? `additive SD (${r.endpoint === 'pk' ? u.concentration : u.response})`
            : 'proportional SD';
      lines.push(
        `(0, ${numberText(r.values[c])}) ; ${(residualTheta.get(`${r.endpoint}:${c}`) as number) + 1} ${r.endpoint.toUpperCase()} ${what}`,
      );
    }
  }
  if (m.etas.length > 0) {
    lines.push('$OMEGA');
    m.etas.forEach((e, k) => lines.push(`${numberText(e.variance)}${e.fixed ? ' FIX' : ''} ; ETA(${k + 1}) ${canonicalName(e.parameter)}`));
  }
  lines.push('$SIGMA');
  m.residuals.forEach((r, i) => lines.push(`1 FIX ; EPS(${i + 1}) ${r.endpoint.toUpperCase()} (the SDs are θ)`));
  const individual = m.parameters.map((p) => canonicalName(p.name));
  const etas = m.etas.map((_e, k) => `ETA${k + 1}`);
  lines.push(
    '$EST METHOD=COND INTER MAXEVAL=9999 PRINT=5 NOABORT',
    '$COV PRINT=E',
    `$TABLE ID TIME DVID EVID MDV DV PRED IPRED CWRES IWRES NOPRINT ONEHEADER FILE=${base}.sdtab`,
    `$TABLE ID ${[...individual, ...etas].join(' ')} FIRSTONLY NOAPPEND NOPRINT ONEHEADER FILE=${base}.patab`,
  );
  return {
    files: [
      { name: `${base}.ctl`, text: `${lines.join('\n')}\n` },
      { name: `${base}.csv`, text: data.text },
    ],
  };
}
