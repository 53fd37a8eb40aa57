/**
 * The worker side of a study fit split across a pool of workers (issue 16; fit-study.ts
 * `fitStudyDataAsync`): a pool worker holds the study of the fit it serves and each stage's objective,
 * rebuilt from plain data (`stageObjective`: the same function of the parameters as the driver's), and
 * answers the driver's requests — the OFVs of some subjects at some points, each conditional mode
 * started from the accepted mode the request carries — by the objective's own `subjectValues`, the
 * one computation the serial fit runs too. It keeps no state of the fit between requests beyond these
 * caches, so any worker can answer any part and a fresh worker (after a crash) answers the same.
 */
import type { Dataset } from '../../data/types';
import { bindStudy, type StudyData } from '../../study/study-data';
import type { StudySpec } from '../../study/study-spec';
import type { FoceObjective, SubjectAnswer, SubjectRequest } from '../foce';
import { stageObjective, type StageKey, type StudyFitControl } from './fit-study';

/** What a pool worker needs to rebuild a fit's stages: its dataset, its spec, and a hybrid model's covariate model (if any). */
export interface FitInputs {
  dataset: Dataset;
  spec: StudySpec;
  network?: StudyFitControl['network'];
}

/** The fits' studies and stage objectives a pool worker holds (the latest fit only). */
export class FitHost {
  private fit: string | null = null;
  private inputs: FitInputs | null = null;
  private study: StudyData | null = null;
  private readonly stages = new Map<string, FoceObjective>();

  /** Whether this host holds fit `fit`'s inputs (else `prepare` needs them). */
  holds(fit: string): boolean {
    return this.fit === fit;
  }

  /** Holds fit `fit` from its inputs (its study bound), dropping the previous fit's study and stages. */
  load(fit: string, inputs: FitInputs): void {
    if (this.fit === fit) return;
    this.fit = fit;
    this.inputs = inputs;
    this.study = bindStudy(inputs.dataset, inputs.spec);
    this.stages.clear();
  }

  /**
   * Builds stage `id` of fit `fit` from its key; `inputs` are needed when the host does not hold the
   * fit yet (returns false without them).
   */
  prepare(fit: string, id: string, stage: StageKey, inputs: FitInputs | null): boolean {
    if (this.fit !== fit) {
      if (!inputs) return false;
      this.load(fit, inputs);
    }
    if (!this.stages.has(id)) this.stages.set(id, stageObjective(this.study!, this.inputs!.network, stage));
    return true;
  }

  /** The answer to part of a request of stage `id` of fit `fit`, or null when the stage is not prepared here. */
  evaluate(fit: string, id: string, request: SubjectRequest): SubjectAnswer | null {
    if (this.fit !== fit) return null;
    return this.stages.get(id)?.subjectValues(request) ?? null;
  }
}
