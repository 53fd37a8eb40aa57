/**
 * The sequential population PK/PD workflow: PK by FOCE-I with one and two compartments (chosen by
 * AIC unless fixed), then PD by FOCE-I conditioned on the chosen PK model's individual parameters
 * (IPP). Pure and synchronous, with progress callbacks and a cancel signal, so a Web Worker can
 * run it as is.
 */
import type { Dataset } from '../data/types';
import type { CancelSignal, FitProgress } from './foce';
import { fitPopulationPd, type PdFitResult, type PdModelOptions } from './pd-fit';
import { fitPopulationPk, type PkFitResult } from './pk-fit';
import type { PopulationModel } from './population-model';
import { extractSubjects, type PkpdSubject } from './subject-data';

export interface PkpdFitOptions {
  /** 'auto' fits both and keeps the one with the lower information criterion (default). */
  compartments?: 'auto' | 1 | 2;
  /** Criterion for 'auto' (default 'aic'). */
  selection?: 'aic' | 'bic';
  /** Estimate a COMED factor on CL (default true). */
  comedOnCl?: boolean;
  etaOnKa?: boolean;
  pd?: PdModelOptions;
}

export interface PkpdControl {
  onProgress?: (progress: FitProgress) => void;
  signal?: CancelSignal;
  /** Standard errors for every fit (default true). */
  covariance?: boolean;
}

export interface PkModelComparison {
  compartments: 1 | 2;
  ofv: number;
  aic: number;
  bic: number;
  parameters: number;
}

export interface PkpdFitResult {
  /** Every PK model fitted, in order of compartments. */
  pkCandidates: PkFitResult[];
  comparison: PkModelComparison[];
  /** The PK model kept (lowest AIC, or BIC if asked). */
  pk: PkFitResult;
  pd: PdFitResult;
  /** How PD was conditioned on PK: individual PK parameters (empirical Bayes estimates). */
  pdConditioning: 'IPP';
  /** The fitted model in the shape the simulator takes. */
  model: PopulationModel;
  elapsedMs: number;
}

export function fitPkpd(input: Dataset | readonly PkpdSubject[], options: PkpdFitOptions = {}, control: PkpdControl = {}): PkpdFitResult {
  const started = performance.now();
  const subjects = isDataset(input) ? extractSubjects(input) : input;
  const which = options.compartments ?? 'auto';
  const counts: (1 | 2)[] = which === 'auto' ? [1, 2] : [which];
  const fitControl = { onProgress: control.onProgress, signal: control.signal, covariance: control.covariance };
  const pkCandidates = counts.map((compartments) =>
    fitPopulationPk(subjects, { compartments, comedOnCl: options.comedOnCl ?? true, etaOnKa: options.etaOnKa }, fitControl),
  );
  const comparison = pkCandidates.map((fit) => ({
    compartments: fit.options.compartments,
    ofv: fit.foce.ofv,
    aic: fit.foce.aic,
    bic: fit.foce.bic,
    parameters: fit.foce.nEstimated,
  }));
  const criterion = (fit: PkFitResult): number => (options.selection === 'bic' ? fit.foce.bic : fit.foce.aic);
  const pk = pkCandidates.reduce((best, fit) => (criterion(fit) < criterion(best) ? fit : best));
  const pd = fitPopulationPd(subjects, pk.individuals, options.pd ?? {}, fitControl);
  return {
    pkCandidates,
    comparison,
    pk,
    pd,
    pdConditioning: 'IPP',
    model: { pk: pk.estimates, pd: pd.estimates },
    elapsedMs: performance.now() - started,
  };
}

function isDataset(input: Dataset | readonly PkpdSubject[]): input is Dataset {
  return !Array.isArray(input);
}
