/**
 * Random-effect diagnostics of a study fit (the plots xpose, ggPMX and the ISoP guidance list: η
 * histograms, η QQ plots against N(0, ω²), η against every covariate, shrinkage):
 *
 * - per random effect: its stage, ω (SD), the η-shrinkage of the fit (1 − SD(η̂)/ω, ../foce.ts, over
 *   the subjects with observations of that stage), the mean and SD of the η̂, and the QQ pairs: the
 *   sorted η̂ beside ω Φ⁻¹((i − ½)/n) (Hazen plotting positions);
 * - per subject: its empirical Bayes η (NaN for a stage it has no observations of — the fit's 0 there
 *   is the prior, not an estimate) and its baseline value of every numeric covariate column of the
 *   file (the study binding's `covariates`, so η can be drawn against the columns the model does not
 *   use yet), `effectColumns` naming those it does;
 * - ε-shrinkage per endpoint: 1 − SD(IWRES) (Karlsson & Savic 2007).
 */
import type { ModelParameter } from '../../study/study-spec';
import type { StudyFitResult } from '../population/fit-study';
import type { Stage } from '../population/parameter-model';
import { normalQuantile } from '../random';
import type { DiagnosticTarget } from './observation-diagnostics';

export interface EtaSummary {
  parameter: ModelParameter;
  stage: Stage;
  /** SD of η (log-normal parameters; IMAX on the logit scale). */
  omega: number;
  /** 1 − SD(η̂)/ω. */
  shrinkage: number;
  /** Subjects with an η̂ of this stage. */
  n: number;
  mean: number;
  sd: number;
  /** QQ pairs in ascending order: ω Φ⁻¹((i − ½)/n) and the i-th smallest η̂. */
  qq: { expected: number[]; eta: number[] };
}

export interface EtaSubject {
  id: string;
  group: string;
  /** η̂ in the order of `EtaDiagnostics.etas` (NaN: no observations of that stage). */
  eta: number[];
  /** Baseline values in the order of `EtaDiagnostics.covariates` (NaN where missing). */
  covariates: number[];
}

export interface EtaDiagnostics {
  etas: EtaSummary[];
  /** Every numeric covariate column of the file, upper case. */
  covariates: string[];
  /** The columns the model's covariate effects use. */
  effectColumns: string[];
  subjects: EtaSubject[];
  /** 1 − SD(IWRES) per endpoint fitted. */
  epsilonShrinkage: Partial<Record<DiagnosticTarget, number>>;
}

function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  return { mean, sd };
}

export function etaDiagnostics(fit: StudyFitResult): EtaDiagnostics {
  const stages = [fit.pk, fit.pd].filter((s) => s !== undefined);
  const names = stages.flatMap((s) => s.model.etas.map((parameter) => ({ parameter, stage: s.stage, observed: s.data.subjects })));
  const observed = names.map((e) => new Set(e.observed.map((d) => d.subject.id)));
  const covariates = Object.keys(fit.study.subjects[0]?.covariates ?? {});
  const byId = new Map(fit.individuals.map((p) => [p.id, p]));
  const subjects: EtaSubject[] = fit.study.subjects.map((s) => {
    const eta = byId.get(s.id)?.eta ?? {};
    return {
      id: s.id,
      group: s.group,
      eta: names.map((e, k) => (observed[k].has(s.id) ? (eta[e.parameter] ?? Number.NaN) : Number.NaN)),
      covariates: covariates.map((c) => s.covariates[c] ?? Number.NaN),
    };
  });
  const etas = names.map((e, k): EtaSummary => {
    const values = subjects.map((s) => s.eta[k]).filter(Number.isFinite);
    const omega = fit.omega[e.parameter];
    const sorted = [...values].sort((a, b) => a - b);
    const sdOmega = omega?.sd ?? Number.NaN;
    return {
      parameter: e.parameter,
      stage: e.stage,
      omega: sdOmega,
      shrinkage: omega?.shrinkage ?? Number.NaN,
      n: values.length,
      ...meanSd(values),
      qq: { expected: sorted.map((_, i) => sdOmega * normalQuantile((i + 0.5) / sorted.length)), eta: sorted },
    };
  });
  const epsilonShrinkage: Partial<Record<DiagnosticTarget, number>> = {};
  for (const s of stages) {
    const iwres = fit.observations.filter((r) => r.target === s.stage && Number.isFinite(r.iwres)).map((r) => r.iwres);
    if (iwres.length > 1) epsilonShrinkage[s.stage] = 1 - meanSd(iwres).sd;
  }
  return { etas, covariates, effectColumns: [...fit.study.effectColumns], subjects, epsilonShrinkage };
}
