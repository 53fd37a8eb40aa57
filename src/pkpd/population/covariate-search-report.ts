/**
 * A covariate search (covariate-search.ts) as plain JSON for people and scripts — the headless
 * `covariates` command and bench/covariate-search.ts print it: the structure held, each step's table
 * (objectives to 3 decimals, θ to 4 significant digits; a failed fit's numbers are null) and the
 * chosen `model.covariates`.
 */
import type { CovariateEffect } from '../../study/study-spec';
import type { CovariateSearchResult, CovariateStep, StageOfv } from './covariate-search';
import type { SkippedColumn } from './covariate-candidates';
import { pdLabel, pkLabel } from './fit-study';

const ofvNumber = (x: number | undefined): number | null => (x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(3)));
const thetaNumber = (x: number | undefined): number | null => (x === undefined || !Number.isFinite(x) ? null : Number(x.toPrecision(4)));

function stageOfv(ofv: StageOfv): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  if (ofv.pk !== undefined) out.pk = ofvNumber(ofv.pk);
  if (ofv.pd !== undefined) out.pd = ofvNumber(ofv.pd);
  return out;
}

export interface CovariateStepReport {
  phase: 'forward' | 'backward';
  step: number;
  threshold: number;
  /** The effects of the model the step starts from, and its objective per stage. */
  from: string[];
  ofv: Record<string, number | null>;
  rows: {
    effect: string;
    form: CovariateEffect['form'];
    stage: 'pk' | 'pd';
    ofv: number | null;
    deltaOfv: number | null;
    converged: boolean;
    /** Forward rows: the effect's θ in the fit with it. */
    estimate?: number | null;
    chosen: boolean;
    error?: string;
  }[];
  chosen: string | null;
}

export function covariateStepReport(step: CovariateStep): CovariateStepReport {
  return {
    phase: step.phase,
    step: step.step,
    threshold: step.threshold,
    from: step.model,
    ofv: stageOfv(step.ofv),
    rows: step.rows.map((r) => ({
      effect: r.name,
      form: r.effect.form,
      stage: r.stage,
      ofv: ofvNumber(r.ofv),
      deltaOfv: ofvNumber(r.deltaOfv),
      converged: r.converged,
      ...(step.phase === 'forward' ? { estimate: thetaNumber(r.estimate) } : {}),
      chosen: r.chosen,
      ...(r.error !== undefined ? { error: r.error } : {}),
    })),
    chosen: step.chosen,
  };
}

export interface CovariateSearchReport {
  structure: { pk: string; pd: string | null };
  thresholds: { forward: number; backward: number };
  candidates: string[];
  skipped: SkippedColumn[];
  base: { ofv: Record<string, number | null> };
  steps: CovariateStepReport[];
  included: string[];
  removed: string[];
  /** The chosen `model.covariates` (effects to estimate). */
  covariates: CovariateEffect[];
  estimates: Record<string, number | null>;
  final: { ofv: Record<string, number | null>; converged: { pk?: boolean; pd?: boolean } };
  fits: number;
  seconds: number;
  notes: string[];
}

export function covariateSearchReport(result: CovariateSearchResult): CovariateSearchReport {
  const { pk, pd } = result.structure;
  return {
    structure: { pk: pkLabel(pk), pd: pd ? pdLabel(pd) : null },
    thresholds: result.thresholds,
    candidates: result.candidates.map((c) => c.name),
    skipped: result.skipped,
    base: { ofv: stageOfv(result.base.ofv) },
    steps: result.steps.map(covariateStepReport),
    included: result.included,
    removed: result.removed,
    covariates: result.covariates,
    estimates: Object.fromEntries(result.chosen.map((name) => [name, thetaNumber(result.final.theta[name])])),
    final: { ofv: stageOfv(result.final.ofv), converged: result.final.converged },
    fits: result.fits,
    seconds: Number((result.elapsedMs / 1000).toFixed(3)),
    notes: result.notes,
  };
}
