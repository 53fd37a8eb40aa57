/**
 * Observation-level goodness-of-fit of the mechanistic model, for the observations the fit used:
 *   PRED  — population prediction: every η = 0 (for PD, the typical PK drives the typical PD; the
 *           PD fit's own PRED is conditioned on individual PK, this one is not);
 *   IPRED — individual prediction at the post-hoc (empirical Bayes) η of PK and PD;
 *   IWRES — individual weighted residual: PK (ln DV − ln IPRED) / σ_log, PD (DV − IPRED) / √((σ_prop·IPRED)² + σ_add²);
 *   CWRES — conditional weighted residual of the FOCE fit (FOCE linearisation around η̂; PK on the
 *           log scale, PD conditioned on individual PK), carried over from the fit.
 */
import { individualPd, individualPk, type PdEtas, type PkEtas, type SubjectCovariates } from '../covariates';
import type { PdGridOptions } from '../indirect-response';
import type { ObservationFit } from '../observation-fit';
import type { PkpdFitResult } from '../pkpd-fit';
import type { PopulationModel } from '../population-model';
import type { PkpdSubject } from '../subject-data';
import { SubjectPredictor, type SubjectParameters } from './subject-predictor';

export type DiagnosticTarget = 'pk' | 'pd';

export interface ObservationDiagnostic {
  target: DiagnosticTarget;
  id: string;
  armDose: number;
  /** The subject's group of a study spec (`groupBy`), where the rows come from a study fit. */
  group?: string;
  time: number;
  dv: number;
  pred: number;
  ipred: number;
  iwres: number;
  /** NaN where the fit has none. */
  cwres: number;
}

export interface SubjectEtas {
  pk: PkEtas;
  pd: PdEtas;
}

/** The observations a fit used, per subject (CWRES optional). */
export type FittedObservations = Pick<ObservationFit, 'id' | 'times' | 'dv'> & { cwres?: Float64Array };

export interface DiagnosticsInput {
  model: PopulationModel;
  subjects: readonly PkpdSubject[];
  /** Post-hoc η per subject id; a subject without an entry is typical (η = 0). */
  etas: ReadonlyMap<string, SubjectEtas>;
  observations: { pk: readonly FittedObservations[]; pd: readonly FittedObservations[] };
  pdGrid?: PdGridOptions;
}

/** What the diagnostics need from a sequential PK/PD fit. */
export function diagnosticsInput(fit: PkpdFitResult, subjects: readonly PkpdSubject[]): DiagnosticsInput {
  const pdEtas = new Map(fit.pd.individuals.map((p) => [p.id, p.eta]));
  const etas = new Map(fit.pk.individuals.map((p) => [p.id, { pk: p.eta, pd: pdEtas.get(p.id) ?? {} }]));
  return {
    model: fit.model,
    subjects,
    etas,
    observations: { pk: fit.pk.observations, pd: fit.pd.observations },
    pdGrid: fit.pd.options.grid,
  };
}

/** PK and PD parameters of a subject at the given η (all zero when absent: the typical subject). */
export function subjectParameters(model: PopulationModel, covariates: SubjectCovariates, etas?: SubjectEtas): SubjectParameters {
  return { pk: individualPk(model.pk.fixed, covariates, etas?.pk), pd: individualPd(model.pd.fixed, covariates, etas?.pd) };
}

export function observationDiagnostics(input: DiagnosticsInput): ObservationDiagnostic[] {
  const { model } = input;
  const byId = new Map(input.subjects.map((s) => [s.id, s]));
  const pkById = new Map(input.observations.pk.map((o) => [o.id, o]));
  const pdById = new Map(input.observations.pd.map((o) => [o.id, o]));
  const pkRows: ObservationDiagnostic[] = [];
  const pdRows: ObservationDiagnostic[] = [];
  const ids = new Set([...pkById.keys(), ...pdById.keys()]);
  for (const id of ids) {
    const subject = byId.get(id);
    if (!subject) throw new Error(`The fit has observations of subject ${id}, who is not among the subjects given.`);
    const pkObs = pkById.get(id);
    const pdObs = pdById.get(id);
    const predictor = new SubjectPredictor(subject.doses, pkObs?.times ?? [], pdObs?.times ?? [], input.pdGrid);
    const typical = subjectParameters(model, subject);
    const individual = subjectParameters(model, subject, input.etas.get(id));
    if (pkObs) {
      const pred = predictor.pk(typical.pk);
      const ipred = predictor.pk(individual.pk);
      pkObs.times.forEach((time, j) => {
        const dv = pkObs.dv[j];
        const iwres = (Math.log(dv) - Math.log(ipred[j])) / model.pk.sigmaLog;
        pkRows.push({
          target: 'pk',
          id,
          armDose: subject.armDose,
          time,
          dv,
          pred: pred[j],
          ipred: ipred[j],
          iwres,
          cwres: pkObs.cwres?.[j] ?? NaN,
        });
      });
    }
    if (pdObs) {
      const pred = predictor.pd(typical);
      const ipred = predictor.pd(individual);
      const { sigmaProp, sigmaAdd } = model.pd;
      pdObs.times.forEach((time, j) => {
        const dv = pdObs.dv[j];
        const sd = Math.hypot(sigmaProp * ipred[j], sigmaAdd);
        pdRows.push({
          target: 'pd',
          id,
          armDose: subject.armDose,
          time,
          dv,
          pred: pred[j],
          ipred: ipred[j],
          iwres: (dv - ipred[j]) / sd,
          cwres: pdObs.cwres?.[j] ?? NaN,
        });
      });
    }
  }
  return [...pkRows, ...pdRows];
}
