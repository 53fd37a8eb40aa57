/**
 * The mechanistic fit as a plain table for reports: each estimated parameter with its standard
 * error, RSE and 95 % interval, the objective and information criteria of every PK model tried
 * (one vs two compartments) with the one kept, and the convergence and covariance-step messages.
 */
import type { FoceResult, ParameterEstimate } from '../foce';
import type { PkpdFitResult } from '../pkpd-fit';

export interface ModelFitSummary {
  /** Estimated parameters only (fixed ones are left out). */
  parameters: ParameterEstimate[];
  ofv: number;
  aic: number;
  bic: number;
  nObservations: number;
  converged: boolean;
  message: string;
  covarianceMessage: string;
  /** η shrinkage per η, in the order of the ω parameters. */
  etaShrinkage: number[];
}

export interface CompartmentChoice {
  compartments: 1 | 2;
  ofv: number;
  aic: number;
  bic: number;
  parameters: number;
  /** AIC minus the lowest AIC of the candidates. */
  deltaAic: number;
  chosen: boolean;
}

export interface FitSummary {
  compartments: 1 | 2;
  selection: 'AIC' | 'BIC';
  candidates: CompartmentChoice[];
  pk: ModelFitSummary;
  pd: ModelFitSummary;
  pdConditioning: 'IPP';
  seconds: number;
}

function modelSummary(foce: FoceResult): ModelFitSummary {
  return {
    parameters: foce.parameters.filter((p) => !p.fixed).map((p) => ({ ...p })),
    ofv: foce.ofv,
    aic: foce.aic,
    bic: foce.bic,
    nObservations: foce.nObservations,
    converged: foce.converged,
    message: foce.message,
    covarianceMessage: foce.covarianceMessage,
    etaShrinkage: Array.from(foce.etaShrinkage),
  };
}

export function fitSummary(fit: PkpdFitResult, selection: 'AIC' | 'BIC' = 'AIC'): FitSummary {
  const bestAic = Math.min(...fit.comparison.map((c) => c.aic));
  const kept = fit.pk.options.compartments;
  return {
    compartments: kept,
    selection,
    candidates: fit.comparison.map((c) => ({ ...c, deltaAic: c.aic - bestAic, chosen: c.compartments === kept })),
    pk: modelSummary(fit.pk.foce),
    pd: modelSummary(fit.pd.foce),
    pdConditioning: fit.pdConditioning,
    seconds: fit.elapsedMs / 1000,
  };
}
