/**
 * The fit pool workers' API (fit-pool.worker.ts), a plain object so the Node tests can run it behind
 * fake workers: a FitHost (src/pkpd/population/fit-host.ts) answering parts of a study fit's
 * objective evaluations.
 */
import type { Dataset } from '../src/data/types';
import type { SubjectAnswer, SubjectRequest } from '../src/pkpd/foce';
import { type CovariateFitOutcome, studyFitOutcome } from '../src/pkpd/population/covariate-search';
import { FitHost, type FitInputs } from '../src/pkpd/population/fit-host';
import { fitStudy, type StageKey } from '../src/pkpd/population/fit-study';
import type { StudySpec } from '../src/study/study-spec';

export function fitPoolApi() {
  const host = new FitHost();
  /** The dataset whole fits read (the latest sent). */
  let held: { key: string; dataset: Dataset } | null = null;
  return {
    /** Answers once the worker runs (FitPool.start). */
    ready(): boolean {
      return true;
    },
    /** Holds a fit's study (see FitHost.load): a worker started ahead of the fit's first evaluation. */
    load(fit: string, inputs: FitInputs): void {
      host.load(fit, inputs);
    },
    /** Builds a stage of a fit (see FitHost.prepare); false: send the fit's inputs. */
    prepare(fit: string, id: string, stage: StageKey, inputs: FitInputs | null): boolean {
      return host.prepare(fit, id, stage, inputs);
    },
    /** Part of an objective evaluation of a stage; null: prepare the stage first. */
    evaluate(fit: string, id: string, request: SubjectRequest): SubjectAnswer | null {
      return host.evaluate(fit, id, request);
    },
    /** Holds the dataset whole fits read (`fitOutcome`), sent once per worker. */
    holdDataset(key: string, dataset: Dataset): void {
      held = { key, dataset };
    },
    /** A whole fit of `spec` (no covariance step), what the covariate search reads; null: send the dataset first (`holdDataset`). */
    fitOutcome(key: string, spec: StudySpec): CovariateFitOutcome | null {
      if (held?.key !== key) return null;
      return studyFitOutcome(fitStudy(held.dataset, spec, { covariance: false }));
    },
  };
}

export type FitPoolApi = ReturnType<typeof fitPoolApi>;
