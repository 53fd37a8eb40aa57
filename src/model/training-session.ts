/**
 * One model at a time, as the Model view works with it: train it (or open a saved one) on a
 * dataset, report its predictions on the validation or training subjects, and evaluate it once on
 * the withheld test subjects. Runs in the training worker; the caller picks the TF.js backend.
 */
import { datasetFingerprint } from '../data/fingerprint';
import { createSplitView, FINAL_EVALUATION, type SplitView } from '../data/splits/index';
import type { Dataset } from '../data/types';
import { FitCancelledError } from '../pkpd/errors';
import type { PkPdModel } from './pkpd-model';
import type { ModelReport, TrainingCurvePoint } from './report/types';
import type { BranchProgress, PkPdTrainingResult } from './train-pkpd';
import { trainPkPd } from './train-pkpd';
import type { CancelSignal, EpochProgress, StopReason } from './train-network';
import type { BackendUsed, HybridFacts, SubjectMetrics, TrainedModelFacts } from './trained-model';
import { architectureOf, checkTrainingConfig, pkPdOptions, splitOf, type TrainingConfig } from './training-config';
import { studyFeatureShape } from './parameter-budget';
import type { StudySpec } from '../study/study-spec';
import { studyClassification } from './classification';
import { studyReportLabels } from './report/build';
import { trainHybrid } from './mechanistic/hybrid-run';
import type { HybridFitOptions, HybridFitResult } from './mechanistic/hybrid-fit';
import { directSessionModel, hybridSessionModel, loadSessionModel, type SessionModel, type StoredModelDocument } from './session-model';

export interface TrainingSource {
  readonly datasetId: string | null;
  readonly datasetName: string;
}

/** One finished epoch of one branch, with the run's overall progress. */
export interface TrainingProgress {
  /** The branch: a network of the direct head ('pk', 'pd', 'pkpd'), or a round of the mechanistic head's fit ('round1', …). */
  readonly branch: EpochProgress & { readonly branch: string };
  /** 1-based position of the branch among the networks the mode trains (the mechanistic head: the round). */
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
  /** What a run does between epochs, in words (the mechanistic head's population fits); null once epochs go on. */
  readonly onStage?: (stage: string | null) => void;
  readonly signal?: CancelSignal;
}

export type ReportSubjects = 'validation' | 'training';

export interface ExternalEvaluation {
  readonly metrics: SubjectMetrics;
  readonly report: ModelReport;
  /** Subjects of the other file. */
  readonly subjects: number;
}

export interface TestEvaluation {
  readonly facts: TrainedModelFacts;
  readonly report: ModelReport;
}

export class TrainingSessionError extends Error {
  override readonly name = 'TrainingSessionError';
}

interface CurrentModel {
  readonly model: SessionModel;
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
      const curves: TrainingCurvePoint[] = [];
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
      const base = {
        datasetId: source.datasetId,
        datasetName: source.datasetName,
        fingerprint: datasetFingerprint(dataset),
        config,
        backendUsed,
        split: { name: split.name, rule: split.rule, valIds: view.val.map((s) => split.ids[s]), testIds: [...view.testIds] },
        test: null,
        testEvaluatedAt: null,
      };
      let model: SessionModel;
      let facts: TrainedModelFacts;
      if (config.head === 'mechanistic') {
        if (!spec)
          throw new TrainingSessionError(
            'The mechanistic head is the covariate model of the study’s population model: set up the study first.',
          );
        let trained;
        try {
          trained = await trainHybrid(view, spec, hybridFitOptions(config), {
            signal: hooks.signal,
            onProgress: (p) => {
              if (!p.epoch) {
                hooks.onStage?.(
                  p.stage === 'fit'
                    ? p.round === 0
                      ? 'Fitting the population model by FOCE-I (before the first round)…'
                      : `Fitting the population model by FOCE-I (round ${p.round} of ${p.rounds})…`
                    : null,
                );
                return;
              }
              const epoch = p.epoch;
              const point = { branch: `round${p.round}`, epoch: epoch.epoch, trainLoss: epoch.trainLoss, valLoss: epoch.valLoss };
              curves.push(point);
              hooks.onProgress?.({
                branch: { ...epoch, branch: `round${p.round}` },
                branchNumber: p.round,
                branchCount: p.rounds,
                fraction: (p.round - 1 + epoch.epoch / epoch.epochs) / p.rounds,
                elapsedMs: performance.now() - started,
                etaMs: epoch.etaMs + (p.rounds - p.round) * (epoch.elapsedMs / epoch.epoch) * epoch.epochs,
                point,
              });
            },
          });
        } catch (error) {
          if (error instanceof FitCancelledError) return null;
          throw error;
        }
        model = hybridSessionModel(trained.fit.model);
        facts = {
          ...base,
          ...hybridRecord(trained.fit, curves),
          validation: trained.validation,
          labels: studyReportLabels(spec, studyClassification(spec)),
        };
      } else {
        const result = await trainPkPd(view, pkPdOptions(config, spec), { onEpoch, signal: hooks.signal });
        const kept = keptModel(result);
        if (!kept) return null;
        model = directSessionModel(kept);
        facts = {
          ...base,
          parameters: Object.fromEntries(kept.branches.map((b) => [b.name, b.network.parameters.count()])),
          validation: result.cancelled ? validationOf(model, view) : result.validation,
          ...trainingRecord(result, kept),
          cancelled: result.cancelled,
          seconds: result.seconds,
          ...(spec ? { labels: studyReportLabels(spec, kept.classification ?? studyClassification(spec)) } : {}),
        };
      }
      this.current = { model, view, spec, facts, datasetMatches: true };
      return facts;
    } finally {
      this.training = false;
    }
  }

  /** Makes a saved model the current one, on the open dataset (which may differ from its training data) and its study spec. */
  open(facts: TrainedModelFacts, document: StoredModelDocument, dataset: Dataset, spec: StudySpec | null = null): TrainedModelFacts {
    if (this.training) throw new TrainingSessionError('A model is being trained: wait for it or cancel it before opening another.');
    const view = createSplitView(dataset, splitOf(dataset, facts.config.split, spec));
    const model = loadSessionModel(document);
    this.close();
    this.current = { model, view, spec, facts, datasetMatches: datasetFingerprint(dataset) === facts.fingerprint };
    return facts;
  }

  /** Predictions of the current model on its validation or training subjects (MC-dropout bands with `mcSamples` ≥ 2). */
  report(subjects: ReportSubjects, mcSamples?: number): ModelReport {
    const { model, view, facts, spec } = this.require();
    const indices = subjects === 'validation' ? view.val : view.train;
    if (indices.length === 0) throw new TrainingSessionError(`The split ${view.name} has no ${subjects} subjects to report on.`);
    return model.report(view.development, indices, subjects, {
      mcSamples: mcSamples ?? facts.config.mcSamples,
      seed: facts.config.seed,
      spec,
    });
  }

  /**
   * The final evaluation on the withheld test subjects, once per model: their metrics (deterministic
   * predictions, as the validation metrics) and their report. The one place this session reads them.
   */
  evaluateTest(now = Date.now()): TestEvaluation {
    const current = this.require();
    const { model, view, facts, spec } = current;
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
    const metrics: SubjectMetrics = model.metrics(dataset, test);
    current.facts = { ...facts, test: metrics, testEvaluatedAt: now };
    const report = model.report(dataset, test, 'test', { mcSamples: facts.config.mcSamples, seed: facts.config.seed, spec });
    return { facts: current.facts, report };
  }

  /**
   * External validation: the current model applied, unchanged, to every subject of another file of
   * the study's layout (read through `spec`, else the study it was opened with): its metrics and report.
   * The model's own data is refused — its test subjects are evaluated once, through the split.
   */
  evaluateExternal(dataset: Dataset, spec: StudySpec | null = null): ExternalEvaluation {
    const { model, facts, spec: own } = this.require();
    if (datasetFingerprint(dataset) === facts.fingerprint)
      throw new TrainingSessionError(
        'This is the data the model was trained on: choose another file of the same study (its test subjects are evaluated once, by the final test evaluation).',
      );
    if (dataset.subjects.length === 0) throw new TrainingSessionError(`${dataset.fileName} has no subjects to evaluate.`);
    const all = dataset.subjects.map((_, i) => i);
    const report = model.report(dataset, all, 'external', {
      mcSamples: facts.config.mcSamples,
      seed: facts.config.seed,
      spec: spec ?? own,
    });
    if (Object.keys(report.targets).length === 0)
      throw new TrainingSessionError(`${dataset.fileName} has no observation of the model's endpoints: it is not a file of this study.`);
    return { metrics: model.metrics(dataset, all), report, subjects: dataset.subjects.length };
  }

  /** The current model as a versioned document (the direct head's networks and feature models, or the hybrid model). */
  document(): StoredModelDocument {
    const { model, facts } = this.require();
    return model.document({ datasetName: facts.datasetName, fingerprint: facts.fingerprint, split: facts.split.name });
  }

  /** Frees the current model. */
  close(): void {
    this.current?.model.dispose();
    this.current = null;
  }

  private require(): CurrentModel {
    if (!this.current) throw new TrainingSessionError('No model is open: train one or open a saved one first.');
    return this.current;
  }
}

/** Metrics of a model on the validation subjects of its split (none: no metrics). */
function validationOf(model: SessionModel, view: SplitView): SubjectMetrics {
  return view.val.length === 0 ? { pk: null, pd: null } : model.metrics(view.development, view.val);
}

/**
 * The mechanistic head's fitting options from the form: the encoder and its sizes, the maximum epochs
 * of each network step and the seed. Batch size, learning rate and patience are the hybrid fit's own
 * (hybrid-fit.ts NETWORK_TRAINING: one row per subject), as the headless `train --head mechanistic`.
 */
export function hybridFitOptions(config: TrainingConfig): Omit<HybridFitOptions, 'trainIds'> {
  return {
    encoder: config.encoder,
    architecture: architectureOf(config),
    training: { epochs: config.epochs },
    seed: config.seed,
  };
}

/** The facts of a hybrid fit: its network's size, each round's epochs, the curves, the objective per round. */
function hybridRecord(
  fit: HybridFitResult,
  curves: readonly TrainingCurvePoint[],
): Pick<TrainedModelFacts, 'parameters' | 'curves' | 'expertUsage' | 'epochs' | 'cancelled' | 'seconds'> & { hybrid: HybridFacts } {
  return {
    parameters: { hybrid: fit.model.network.parameters.count() },
    curves,
    expertUsage: {},
    epochs: Object.fromEntries(
      fit.rounds.map((r) => [`round${r.round}`, { run: r.epochs.run, best: r.epochs.best, stop: r.epochs.stop as StopReason }]),
    ),
    cancelled: false,
    seconds: fit.seconds,
    hybrid: {
      shifted: [...fit.model.shifted],
      inputs: [...fit.model.inputs.columns],
      structure: { pk: fit.fit.pk?.label ?? null, pd: fit.fit.pd?.label ?? null },
      ofv: { withoutCovariates: fit.base.ofv, rounds: fit.rounds.map((r) => r.ofv), keptRound: fit.keptRound },
    },
  };
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
