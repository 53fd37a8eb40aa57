/**
 * What every model export (NONMEM, nlmixr2, mrgsolve) writes, in one language-neutral form: the
 * fitted population model (StudyPopulationModel) with its θ in the spec's display units — the
 * conversions of fixed-model-document.ts (units.ts `shownUnit`) — so that volumes are in L and
 * clearances in L per time unit, while the data keep their own units. The concentration a model
 * writes is amount ÷ VC, VC = V / `volumeFactor` the central volume in (amount unit) ÷
 * (concentration unit) (mg and ng/mL: VC = V/1000), so that the model's concentration is in the
 * data's DV unit.
 *
 * Individual parameters, as parameter-model.ts computes them:
 *   TV_P = θ_P · Π g(θ_e, x)   (power (x/ref)^θ, linear 1 + θ(x − ref), factor θ^x; a power effect
 *                               on CL also scales Q, one on V also V2, as the fit's plan says)
 *   P    = TV_P · e^{η_P}       (IMAX: logit P = logit TV + η)
 * η in the stage order of the fit (PK, then PD); Ω as variances (the fit's SDs squared).
 */
import type { ResidualValues, StudyFitResult, StudyPopulationModel } from '../../pkpd/population/fit-study';
import { populationStages, type EffectForm, type StageModel } from '../../pkpd/population/parameter-model';
import type { StudyData } from '../../study/study-data';
import type { ModelParameter, StudySpec } from '../../study/study-spec';
import { shownUnit, volumeFactor } from '../../study/units';

/** One file of an export: its name and its text. */
export interface ExportFile {
  name: string;
  text: string;
}

export interface ModelExport {
  files: ExportFile[];
}

/** What an export needs of a fit: the fitted model and the data it was fitted to. */
export type ExportableFit = Pick<StudyFitResult, 'model' | 'study'>;

/** The model cannot be exported: what, and why. */
export class ModelExportError extends Error {
  override readonly name = 'ModelExportError';
}

export interface ExportTheta {
  /** The fit's θ name: "CL", "CL~WT". */
  name: string;
  role: 'typical' | 'effect';
  parameter: ModelParameter;
  /** Display units for a typical value; the effect's θ as it is. */
  value: number;
  unit: string;
  /** Estimated on the log scale (positive: lower bound 0); IMAX on the logit scale (bounds 0 and 1). */
  bounds: 'positive' | 'fraction' | 'none';
  fixed: boolean;
  /** The effect's column (upper case), form and reference (NaN for a factor). */
  effect?: { column: string; form: EffectForm; reference: number };
}

/** An individual parameter: its typical θ, the effects that scale it (indices into `thetas`) and its η. */
export interface ExportParameter {
  name: ModelParameter;
  theta: number;
  effects: number[];
  /** Index into `etas`, or −1. */
  eta: number;
  logit: boolean;
}

export interface ExportEta {
  parameter: ModelParameter;
  variance: number;
  fixed: boolean;
}

export interface ExportResidual {
  endpoint: 'pk' | 'pd';
  /** The DVID the data file gives the endpoint's observations. */
  dvid: 1 | 2;
  values: ResidualValues;
}

export interface ExportedModel {
  spec: StudySpec;
  model: StudyPopulationModel;
  study: StudyData;
  parameters: ExportParameter[];
  thetas: ExportTheta[];
  etas: ExportEta[];
  residuals: ExportResidual[];
  /** Litres in one (amount unit) ÷ (concentration unit): VC = V / volumeFactor. */
  volumeFactor: number;
  /** Covariate columns the effects read, upper case, in order of first use. */
  covariates: string[];
}

/** The shortest text that reads back as the same double (JavaScript's own), so every export round-trips exactly. */
export function numberText(x: number): string {
  if (!Number.isFinite(x)) throw new ModelExportError(`A value to export is ${x}; every exported value must be finite.`);
  return String(x);
}

function stageEntries(spec: StudySpec, model: StudyPopulationModel, stage: StageModel, out: ExportedModel): void {
  const offset = out.thetas.length;
  for (const t of stage.thetas) {
    const value = model.theta[t.name];
    if (value === undefined || !Number.isFinite(value)) throw new ModelExportError(`The model has no finite value of ${t.name}.`);
    const e = t.effect;
    if (e && (e.form === 'network' || e.column.startsWith('@'))) {
      throw new ModelExportError(
        `${e.name} is computed by a covariate network (a hybrid model), which NONMEM, nlmixr2 and mrgsolve code cannot hold.`,
      );
    }
    const shown = t.role === 'typical' ? shownUnit(t.parameter, spec.units, model.pd?.family) : { unit: '', factor: 1 };
    const bounds = t.transform === 'log' ? 'positive' : t.transform === 'logit' ? 'fraction' : 'none';
    const entry: ExportTheta = {
      name: t.name,
      role: t.role,
      parameter: t.parameter,
      value: value * shown.factor,
      unit: shown.unit,
      bounds,
      fixed: t.fixed,
    };
    if (e) {
      entry.effect = { column: e.column, form: e.form, reference: e.reference };
      if (!out.covariates.includes(e.column)) out.covariates.push(e.column);
    }
    out.thetas.push(entry);
  }
  const etaOffset = out.etas.length;
  for (const name of stage.etas) {
    const sd = model.omega[name];
    if (sd === undefined || !Number.isFinite(sd)) throw new ModelExportError(`The model has no SD of the random effect of ${name}.`);
    out.etas.push({ parameter: name, variance: sd * sd, fixed: stage.fixedOmega[name] !== undefined });
  }
  for (const p of stage.plan) {
    out.parameters.push({
      name: p.name,
      theta: offset + p.theta,
      effects: p.effects.map((e) => offset + e.theta),
      eta: p.eta < 0 ? -1 : etaOffset + p.eta,
      logit: p.logit,
    });
  }
}

/** The fit's model in export form; a ModelExportError for a model no export can hold. */
export function exportedModel(spec: StudySpec, fit: ExportableFit): ExportedModel {
  const { model, study } = fit;
  const stages = populationStages(spec, model);
  const out: ExportedModel = {
    spec,
    model,
    study,
    parameters: [],
    thetas: [],
    etas: [],
    residuals: [],
    volumeFactor: volumeFactor(spec.units),
    covariates: [],
  };
  stageEntries(spec, model, stages.pk, out);
  if (stages.pd) stageEntries(spec, model, stages.pd, out);
  if (model.residual.pk && spec.endpoints.pk) out.residuals.push({ endpoint: 'pk', dvid: 1, values: model.residual.pk });
  if (model.pd && model.residual.pd) out.residuals.push({ endpoint: 'pd', dvid: 2, values: model.residual.pd });
  return out;
}

/** The parameter's entry; every structure has CL and V, and the PD parameters of its family. */
export function parameterOf(m: ExportedModel, name: ModelParameter): ExportParameter | undefined {
  return m.parameters.find((p) => p.name === name);
}

/** "oral 2-compartment with lag, indirect response (inhibit-production, sigmoid)". */
export function structureText(model: StudyPopulationModel): string {
  const pk = model.pk;
  const pkText = `${pk.route === 'oral' ? 'oral' : 'IV'} ${pk.compartments}-compartment${pk.route === 'oral' && pk.lag ? ' with lag' : ''}`;
  const pd = model.pd;
  if (!pd) return `${pkText}, PK only`;
  if (pd.family === 'indirect') return `${pkText}, indirect response (${pd.type}${pd.sigmoid === true ? ', sigmoid' : ''})`;
  return `${pkText}, ${pd.family} effect (${pd.direction}${pd.sigmoid ? ', sigmoid' : ''})`;
}

/** The units the data file is in, for the exports' headers. */
export function dataUnitsText(m: ExportedModel): string {
  const u = m.spec.units;
  const pd = m.model.pd ? `, DV (PD, DVID 2) ${u.response || 'response units'}` : '';
  return `TIME ${u.time}, AMT ${u.amount}, DV (PK, DVID 1) ${u.concentration}${pd}`;
}

/** How the central volume converts to the data's units, for the exports' headers. */
export function volumeText(m: ExportedModel): string {
  const u = m.spec.units;
  const vc = m.volumeFactor === 1 ? 'VC = V' : `VC = V/${numberText(m.volumeFactor)}`;
  return `volumes in L, clearances in L/${u.time}; ${vc} is the central volume in ${u.amount}/(${u.concentration})`;
}

/** A θ's label in the exports' comments: "CL (L/h)", "CL~WT (power)". */
export function thetaLabel(t: ExportTheta): string {
  if (t.role === 'effect') return `${t.name} (${t.effect?.form})`;
  const name = t.parameter === 'V2' ? 'VP' : t.parameter;
  return `${name}${t.unit ? ` (${t.unit})` : ''}`;
}

/** The header every export starts with (without the language's comment marks). */
export function headerLines(m: ExportedModel, what: string, dataFile: string, note = ''): string[] {
  return [
    `${what} exported by QPKPD Studio: ${structureText(m.model)}.`,
    `Data: ${dataFile} in the data's units (${dataUnitsText(m)})${note}.`,
    `Parameters: ${volumeText(m)}.`,
    'Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).',
  ];
}
