/**
 * The fit pool workers' API (fit-pool.worker.ts), a plain object so the Node tests can run it behind
 * fake workers: a FitHost (src/pkpd/population/fit-host.ts) answering parts of a study fit's
 * objective evaluations.
 */
import type { SubjectAnswer, SubjectRequest } from '../src/pkpd/foce';
import { FitHost, type FitInputs } from '../src/pkpd/population/fit-host';
import type { StageKey } from '../src/pkpd/population/fit-study';

export function fitPoolApi() {
  const host = new FitHost();
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
  };
}

export type FitPoolApi = ReturnType<typeof fitPoolApi>;
