/**
 * Simulated trials from a study spec and a population model (StudyPopulationModel: θ by name in the
 * data's units, ω, residual errors) — the truth for recovery tests and benchmarks of the study fit.
 * Subjects get covariates drawn as the design says (the spec's `CovariateDistribution`s), log-normal
 * η (IMAX on the logit scale, as parameter-model.ts), doses of their arm, and observations of the
 * structural engine (../structural) at the design's times with residual error: PK exponential
 * (DV = C e^ε) or additive/proportional (DV = f (1 + ε_p) + ε_a; with SDs that add, DV = f + (a + b|f|) ε:
 * ../residual-error.ts), PD likewise.
 *
 * The trial is written as a NONMEM-style CSV that `ingestText` reads — ID, TIME, AMT, RATE, ADDL, II,
 * EVID, MDV, DV, DVID, CMT and the covariates — so a recovery test goes through the whole path: ingest,
 * binding, fit. Doses: oral (CMT 1), IV bolus or infusion (CMT 1 with RATE = AMT / duration); with
 * `addl` one record per subject carries the whole regimen as ADDL = n − 1 and II. Observations: PK
 * DVID 1 (CMT 2), PD DVID 2 (CMT 3). Deterministic for a given seed (../random.ts).
 */
import type { CovariateDistribution, ModelParameter, StudySpec } from '../../study/study-spec';
import { HOURS_PER } from '../../study/units';
import { PkpdDataError } from '../errors';
import { createRng, type Rng } from '../random';
import { residualSd } from '../residual-error';
import { regimenDoses, type DoseEvent, type DoseRoute } from '../structural/doses';
import { createStructuralModel, type ParameterValues } from '../structural/structural-model';
import type { StudyPopulationModel, ResidualValues } from './fit-study';
import { covariateVector, individualValues, populationStages, resolveEffects, stageTheta, type StageModel } from './parameter-model';

export interface TrialArm {
  /** Dose amount per administration; 0 is a placebo arm (no dose records). */
  dose: number;
  subjects: number;
}

export interface TrialRegimen {
  route: DoseRoute;
  interval: number;
  count: number;
  /** Infusion duration (infusions only). */
  duration?: number;
  /** Write the regimen as one record with ADDL and II instead of one record per dose. */
  addl?: boolean;
}

export interface StudyTrialDesign {
  arms: TrialArm[];
  regimen: TrialRegimen;
  /** PK sampling times (absolute, the first dose at 0); none for placebo subjects. */
  pkTimes: number[];
  /** PD sampling times; empty for a PK-only study. */
  pdTimes: number[];
  /** Covariates by column name, drawn per subject. */
  covariates: Record<string, CovariateDistribution>;
  /** Decimals covariates are rounded to (default 1). */
  covariateDecimals?: number;
  /**
   * Columns computed from a subject's drawn covariates and not written to the file — e.g. a known
   * nonlinear covariate function as a "network" effect's shift (parameter-model.ts).
   */
  derived?: (covariates: Readonly<Record<string, number>>) => Record<string, number>;
}

export interface SimulatedStudySubject {
  id: number;
  covariates: Record<string, number>;
  eta: Partial<Record<ModelParameter, number>>;
  parameters: ParameterValues;
}

export interface SimulatedStudyTrial {
  csv: string;
  subjects: SimulatedStudySubject[];
}

/** A truth for a spec: its covariate effects with their references (the spec must give every power and linear reference). */
export function truthModel(
  spec: StudySpec,
  structure: Pick<StudyPopulationModel, 'pk' | 'pd'>,
  theta: Record<string, number>,
  omega: Partial<Record<ModelParameter, number>>,
  residual: StudyPopulationModel['residual'],
): StudyPopulationModel {
  const effects = resolveEffects(spec.model.covariates, () => []);
  for (const e of effects) {
    if (e.form !== 'factor' && !Number.isFinite(e.reference)) {
      throw new PkpdDataError(`model.covariates[${e.specIndex}]: a simulated truth needs the effect's reference value.`);
    }
  }
  const model: StudyPopulationModel = { pk: structure.pk, effects, theta, omega, residual };
  if (structure.pd) model.pd = structure.pd;
  return model;
}

function draw(d: CovariateDistribution, rng: Rng): number {
  if ('uniform' in d) return rng.uniformIn(d.uniform[0], d.uniform[1]);
  if ('normal' in d) {
    const [mean, sd] = d.normal;
    for (let i = 0; i < 1000; i++) {
      const x = mean + sd * rng.normal();
      if (!d.range || (x >= d.range[0] && x <= d.range[1])) return x;
    }
    return mean;
  }
  if ('share' in d) return rng.bernoulli(d.share);
  return d.values[Math.min(d.values.length - 1, Math.floor(rng.uniform() * d.values.length))];
}

/** An observation of prediction `f` with residual error `r` (none: `f` itself); the VPC of a study fit draws the same way. */
export function addError(f: number, r: ResidualValues | undefined, rng: Rng): number {
  if (!r) return f;
  if (r.scale === 'log') return f * Math.exp(r.additive * rng.normal());
  if (r.combined === 'sum-of-sds') return f + residualSd(r, f) * rng.normal();
  // Two independent draws (the variances add): the streams of the seeded trials made before the SD sum.
  return f * (1 + r.proportional * rng.normal()) + r.additive * rng.normal();
}

function num(x: number): string {
  return String(Number(x.toPrecision(8)));
}

export function simulateStudyTrial(
  spec: StudySpec,
  model: StudyPopulationModel,
  design: StudyTrialDesign,
  seed: number,
): SimulatedStudyTrial {
  const rng = createRng(seed);
  const { pk: pkStage, pd: pdStage } = populationStages(spec, model);
  const pkTheta = stageTheta(model.theta, pkStage);
  const pdTheta = pdStage ? stageTheta(model.theta, pdStage) : [];
  const engine = createStructuralModel(model.pd ? { pk: model.pk, pd: model.pd } : { pk: model.pk }, {
    hoursPerTimeUnit: HOURS_PER[spec.units.time],
  });
  const columns = Object.keys(design.covariates).map((c) => c.toUpperCase());
  const round = 10 ** (design.covariateDecimals ?? 1);
  const lines = [`ID,TIME,AMT,RATE,ADDL,II,EVID,MDV,DV,DVID,CMT${columns.map((c) => `,${c}`).join('')}`];
  const subjects: SimulatedStudySubject[] = [];
  const { regimen } = design;
  let id = 0;
  for (const arm of design.arms) {
    for (let s = 0; s < arm.subjects; s++) {
      id++;
      const covariates: Record<string, number> = {};
      for (const [name, d] of Object.entries(design.covariates)) {
        const x = draw(d, rng);
        covariates[name.toUpperCase()] = 'share' in d ? x : Math.round(x * round) / round;
      }
      if (design.derived) Object.assign(covariates, design.derived(covariates));
      const eta: Partial<Record<ModelParameter, number>> = {};
      const etaVector = (stage: StageModel): Float64Array =>
        Float64Array.from(stage.etas, (name) => {
          const sd = model.omega[name] ?? 0;
          const e = sd > 0 ? sd * rng.normal() : 0;
          eta[name] = e;
          return e;
        });
      const parameters: ParameterValues = {};
      individualValues(pkStage, pkTheta, etaVector(pkStage), covariateVector(pkStage, covariates), parameters);
      if (pdStage) individualValues(pdStage, pdTheta, etaVector(pdStage), covariateVector(pdStage, covariates), parameters);
      subjects.push({ id, covariates, eta, parameters });
      const doses: DoseEvent[] =
        arm.dose > 0
          ? regimenDoses({ amount: arm.dose, interval: regimen.interval, route: regimen.route, duration: regimen.duration }, regimen.count)
          : [];
      const pkTimes = arm.dose > 0 ? design.pkTimes : [];
      const plan = engine.prepare(doses, model.pd ? { pk: pkTimes, pd: design.pdTimes } : { pk: pkTimes });
      const predicted = engine.predict(plan, parameters);
      const tail = columns.map((c) => `,${num(covariates[c])}`).join('');
      type Row = { time: number; order: number; text: string };
      const rows: Row[] = [];
      const rate = (amount: number): string => (regimen.route === 'infusion' ? num(amount / (regimen.duration as number)) : '0');
      const doseRows = regimen.addl && doses.length > 0 ? [doses[0]] : doses;
      for (const d of doseRows) {
        const addl = regimen.addl ? `${regimen.count - 1},${num(regimen.interval)}` : '0,0';
        rows.push({ time: d.time, order: 0, text: `${id},${num(d.time)},${num(d.amount)},${rate(d.amount)},${addl},1,1,.,.,1${tail}` });
      }
      pkTimes.forEach((t, j) => {
        rows.push({
          time: t,
          order: 1,
          text: `${id},${num(t)},0,0,0,0,0,0,${num(addError(predicted.pk[j], model.residual.pk, rng))},1,2${tail}`,
        });
      });
      if (model.pd) {
        design.pdTimes.forEach((t, j) => {
          rows.push({
            time: t,
            order: 2,
            text: `${id},${num(t)},0,0,0,0,0,0,${num(addError(predicted.pd[j], model.residual.pd, rng))},2,3${tail}`,
          });
        });
      }
      // Observations at a dose time come before the dose (the model's trough), as the ingest orders them.
      rows.sort((a, b) => a.time - b.time || b.order - a.order);
      for (const row of rows) lines.push(row.text);
    }
  }
  return { csv: `${lines.join('\n')}\n`, subjects };
}
