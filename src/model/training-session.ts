/**
 * One model at a time, as the Model view works with it: train it (or open a saved one) on a
 * dataset, report its predictions on the validation or training subjects, and evaluate it once on
 * the withheld test subjects. Runs in the training worker; the caller picks the TF.js backend.
 */
import { datasetFingerprint } from '../data/fingerprint';
import { createSplitView, FINAL_EVALUATION, type SplitView } from '../data/splits/index';
import type { Dataset } from '../data/types';
import { disposeModel, type PkPdModel } from './pkpd-model';
import { buildModelReport } from './report/build';
import type { ModelReport, TrainingCurvePoint } from './report/types';
import { loadModel, type ModelDocument, saveModel } from './serialize';
import type { BranchProgress, PkPdTrainingResult } from './train-pkpd';
import { evaluateSubjects, trainPkPd } from './train-pkpd';
import type { CancelSignal } from './train-network';
import type { BackendUsed, SubjectMetrics, TrainedModelFacts } from './trained-model';
import { checkTrainingConfig, pkPdOptions, splitOf, type TrainingConfig } from './training-config';
import { studyFeatureShape } from './parameter-budget';
import type { StudySpec } from '../study/study-spec';
import { studyClassification } from './classification';
import { type ReportLabels, studyReportLabels } from './report/build';

export interface TrainingSource {
  readonly datasetId: string | null;
  readonly datasetName: string;
}

/** One finished epoch of one branch, with the run's overall progress. */
export interface TrainingProgress {
  readonly branch: BranchProgress;
  /** 1-based position of the branch among the networks the mode trains. */
  readonly branchNumber: number;
  readonly branchCount: number;
  /** 0..1 over all branches, counting every branch at its maximum epochs. */
  readonly fraction: number;
  readonly elapsedMs: number;
  /** Time left if every remaining epoch runs (early stopping usually ends sooner). */
  readonly etaMs: number;
  readonly point: TrainingCurvePoint;
}

export interface TrainingHooks {
  readonly onProgress?: (progress: TrainingProgress) => void;
  readonly signal?: CancelSignal;
}

export type ReportSubjects = 'validation' | 'training';

export interface TestEvaluation {
  readonly facts: TrainedModelFacts;
  readonly report: ModelReport;
}

export class TrainingSessionError extends Error {
  override readonly name = 'TrainingSessionError';
}

interface CurrentModel {
  readonly model: PkPdModel;
  readonly view: SplitView;
  /** The study the model was trained (or opened) with; null: none (the feature code's defaults, EstData's criterion). */
  readonly spec: StudySpec | null;
  facts: TrainedModelFacts;
  /** The dataset's fingerprint is the one the model was trained on. */
  readonly datasetMatches: boolean;
}

export class TrainingSession {
  private current: CurrentModel | null = null;
  private training = false;

  get facts(): TrainedModelFacts | null {
    return this.current?.facts ?? null;
  }

  get datasetMatches(): boolean {
    return this.current?.datasetMatches ?? false;
  }

  /**
   * Trains a model and makes it the current one, through the dataset's study spec (features,
   * endpoints, groups of the split, the classification head's criterion; null: no study — the feature
   * code's defaults, DVID 1 and 2 and no covariates, and EstData's criterion).
   * A cancelled run keeps the networks that finished at least one epoch (their best epoch restored),
   * flagged cancelled; it returns null when none did.
   */
  async train(
    dataset: Dataset,
    source: TrainingSource,
    config: TrainingConfig,
    backendUsed: BackendUsed,
    hooks: TrainingHooks = {},
    spec: StudySpec | null = null,
  ): Promise<TrainedModelFacts | null> {
    if (this.training) throw new TrainingSessionError('A model is already being trained: wait for it or cancel it first.');
    // The size is counted on the study's features, as the training form counts it (trainPkPd counts the built ones again).
    checkTrainingConfig(config, spec ? studyFeatureShape(spec, dataset) : undefined);
    this.training = true;
    try {
      this.close();
      const split = splitOf(dataset, config.split, spec);
      const view = createSplitView(dataset, split);
      const pkOnly = spec !== null && (spec.endpoints.pd === undefined || spec.model.pd === undefined);
      const branchCount = config.mode === 'multitask' || pkOnly ? 1 : 2;
      const started = performance.now();
      let branchNumber = 0;
      let lastBranch: string | null = null;
      const onEpoch = (p: BranchProgress): void => {
        if (p.branch !== lastBranch) {
          branchNumber += 1;
          lastBranch = p.branch;
        }
        const laterBranchesMs = (branchCount - branchNumber) * (p.elapsedMs / p.epoch) * p.epochs;
        hooks.onProgress?.({
          branch: p,
          branchNumber,
          branchCount,
          fraction: (branchNumber - 1 + p.epoch / p.epochs) / branchCount,
          elapsedMs: performance.now() - started,
          etaMs: p.etaMs + laterBranchesMs,
          point: { branch: p.branch, epoch: p.epoch, trainLoss: p.trainLoss, valLoss: p.valLoss },
        });
      };
      const result = await trainPkPd(view, pkPdOptions(config, spec), { onEpoch, signal: hooks.signal });
      const model = keptModel(result);
      if (!model) return null;
      const facts: TrainedModelFacts = {
        datasetId: source.datasetId,
        datasetName: source.datasetName,
        fingerprint: datasetFingerprint(dataset),
        config,
        backendUsed,
        split: { name: split.name, rule: split.rule, valIds: view.val.map((s) => split.ids[s]), testIds: [...view.testIds] },
        parameters: Object.fromEntries(model.branches.map((b) => [b.name, b.network.parameters.count()])),
        validation: result.cancelled ? this.validationOf(model, view) : result.validation,
        test: null,
        testEvaluatedAt: null,
        ...trainingRecord(result, model),
        cancelled: result.cancelled,
        seconds: result.seconds,
        ...(spec ? { labels: studyReportLabels(spec, model.classification ?? studyClassification(spec)) } : {}),
      };
      this.current = { model, view, spec, facts, datasetMatches: true };
      return facts;
    } finally {
      this.training = false;
    }
  }

  /** Makes a saved model the current one, on the open dataset (which may differ from its training data) and its study spec. */
  open(facts: TrainedModelFacts, document: ModelDocument, dataset: Dataset, spec: StudySpec | null = null): TrainedModelFacts {
    if (this.training) throw new TrainingSessionError('A model is being trained: wait for it or cancel it before opening another.');
    const view = createSplitView(dataset, splitOf(dataset, facts.config.split, spec));
    const model = loadModel(document);
    this.close();
    this.current = { model, view, spec, facts, datasetMatches: datasetFingerprint(dataset) === facts.fingerprint };
    return facts;
  }

  /** Predictions of the current model on its validation or training subjects (MC-dropout bands with `mcSamples` ≥ 2). */
  report(subjects: ReportSubjects, mcSamples?: number): ModelReport {
    const { model, view, facts } = this.require();
    const indices = subjects === 'validation' ? view.val : view.train;
    if (indices.length === 0) throw new TrainingSessionError(`The split ${view.name} has no ${subjects} subjects to report on.`);
    return buildModelReport(model, view.development, indices, subjects, {
      mcSamples: mcSamples ?? facts.config.mcSamples,
      seed: facts.config.seed,
      ...this.labels(),
    });
  }

  /**
   * The final evaluation on the withheld test subjects, once per model: their metrics (deterministic
   * predictions, as the validation metrics) and their report. The one place this session reads them.
   */
  evaluateTest(now = Date.now()): TestEvaluation {
    const current = this.require();
    const { model, view, facts } = current;
    if (facts.test !== null)
      throw new TrainingSessionError(
        'The test subjects of this model were already evaluated: the final test evaluation is done once per model.',
      );
    if (!current.datasetMatches) {
      throw new TrainingSessionError(
        'The open dataset is not the one this model was trained on: open that dataset to evaluate its test subjects.',
      );
    }
    if (view.testCount === 0) throw new TrainingSessionError(`The split ${view.name} withholds no test subjects.`);
    const { dataset, test } = view.finalEvaluation(FINAL_EVALUATION);
    const metrics: SubjectMetrics = evaluateSubjects(model, dataset, test).metrics;
    current.facts = { ...facts, test: metrics, testEvaluatedAt: now };
    const report = buildModelReport(model, dataset, test, 'test', {
      mcSamples: facts.config.mcSamples,
      seed: facts.config.seed,
      ...this.labels(),
    });
    return { facts: current.facts, report };
  }

  /** The current model's weights and feature models as a versioned document. */
  document(): ModelDocument {
    const { model, facts } = this.require();
    return saveModel(model, { datasetName: facts.datasetName, fingerprint: facts.fingerprint, split: facts.split.name });
  }

  /** Frees the current model. */
  close(): void {
    if (this.current) disposeModel(this.current.model);
    this.current = null;
  }

  /** The report's labels from the study (its units, endpoint names, the criterion of the head or of its questions). */
  private labels(): { labels?: ReportLabels } {
    const { model, spec } = this.require();
    return spec ? { labels: studyReportLabels(spec, model.classification ?? studyClassification(spec)) } : {};
  }

  private require(): CurrentModel {
    if (!this.current) throw new TrainingSessionError('No model is open: train one or open a saved one first.');
    return this.current;
  }

  private validationOf(model: PkPdModel, view: SplitView): SubjectMetrics {
    return view.val.length === 0 ? { pk: null, pd: null } : evaluateSubjects(model, view.development, view.val).metrics;
  }
}

/** The trained model, without networks that never finished an epoch (a cancelled run); null when none is left. */
function keptModel(result: PkPdTrainingResult): PkPdModel | null {
  const finished = (name: string): boolean => (result.training[name as keyof PkPdTrainingResult['training']]?.bestEpoch ?? 0) > 0;
  const kept = result.model.branches.filter((b) => finished(b.name));
  for (const b of result.model.branches) if (!kept.includes(b)) b.network.dispose();
  return kept.length === 0 ? null : { ...result.model, branches: kept };
}

function trainingRecord(result: PkPdTrainingResult, model: PkPdModel): Pick<TrainedModelFacts, 'curves' | 'expertUsage' | 'epochs'> {
  const runs = model.branches.map((b) => [b.name, result.training[b.name]!] as const);
  return {
    curves: runs.flatMap(([branch, r]) => r.history.map((h) => ({ branch, epoch: h.epoch, trainLoss: h.trainLoss, valLoss: h.valLoss }))),
    expertUsage: Object.fromEntries(runs.map(([branch, r]) => [branch, r.expertUsage])),
    epochs: Object.fromEntries(runs.map(([branch, r]) => [branch, { run: r.epochsRun, best: r.bestEpoch, stop: r.stopReason }])),
  };
}
