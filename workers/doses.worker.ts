/**
 * The dose questions off the main thread: the mechanistic population model (fit, the questions,
 * parameter-uncertainty bands, diagnostics) and saved networks (TF.js, loaded only when a network
 * runs). Results are plain data; cancel by terminating the worker (the fit is synchronous, so a
 * message could not interrupt it).
 */
import * as Comlink from 'comlink';
import { holdLifeline } from './worker-lifeline';
import { datasetFingerprint } from '../src/data/fingerprint';
import type { Dataset } from '../src/data/types';
import {
  answerFiveQuestions,
  DEFAULT_REGIMENS,
  DEFAULT_SCENARIOS,
  type DoseAnswer,
  type DoseProgress,
  type DoseQuestionOptions,
  type DoseQuestionsResult,
  type DoseResponseCurve,
  type FiveQuestionsResult,
  type UncertaintySummary,
} from '../src/dose/five-questions';
import { fitSummary, type FitSummary } from '../src/pkpd/diagnostics/fit-summary';
import { mechanisticDiagnostics, type MechanisticDiagnostics } from '../src/pkpd/diagnostics/mechanistic-diagnostics';
import type { AnswerDifference, ComparableAnswer, NetworkExtrapolation, NetworkQuestionsResult } from '../src/dose/network-questions';
import type { PkPdModel } from '../src/model/pkpd-model';
import { type BackendRequest, chooseBackend } from '../src/platform/compute-backend';
import { probeWebGpu } from '../src/platform/webgpu-probe';
import { extractSubjects } from '../src/pkpd/subject-data';
import { loadTrainedModel } from '../src/store/models';
import { type DatasetSource, resolveDataset } from '../src/store/dataset-source';

export interface DoseRunSettings {
  questions: Pick<DoseQuestionOptions, 'nVirtual' | 'seed' | 'threshold' | 'targets' | 'gridStep' | 'method'>;
  /** Dose step (mg) of the challenge's daily and weekly grids. */
  steps: Readonly<Record<'daily' | 'weekly', number>>;
  /** Models drawn from the mechanistic fit's covariance for its bands (0: none). */
  uncertaintyReplicates: number;
  /** Replicate trials of the visual predictive check. */
  vpcReplicates: number;
  /** The TF.js backend of networks: the policy's choice ('auto', the default) or, to retry on the CPU path, 'wasm'. */
  backend?: BackendRequest;
}

export interface DoseRunProgress {
  stage: DoseProgress['stage'] | 'diagnostics' | 'loading';
  /** Units done and total in this stage; total 0 when open-ended (the fit's iterations). */
  done: number;
  total: number;
  message: string;
}

interface ModelAnswers {
  label: string;
  answers: DoseAnswer[];
  curves: DoseResponseCurve[];
  settings: DoseQuestionsResult['settings'];
}

export interface MechanisticReport extends ModelAnswers {
  kind: 'mechanistic';
  uncertainty: UncertaintySummary;
  fit: FitSummary;
  diagnostics: MechanisticDiagnostics;
  timing: FiveQuestionsResult['timing'] & { diagnosticsSeconds: number };
}

export interface NetworkReport extends ModelAnswers {
  kind: 'network';
  modelId: string;
  /** How the bands were made (an ensemble), or null without one. */
  band: NetworkQuestionsResult['band'];
  /** Input features that leave their training range at the answers. */
  extrapolation: NetworkExtrapolation[];
  /** These answers minus the reference (mechanistic) answers, when given. */
  differences: AnswerDifference[] | null;
  /** Which subjects of the open dataset gave the network's context (baseline PD, feature ranges). */
  context: string;
  backend: string;
  seconds: number;
}

export type DoseModelReport = MechanisticReport | NetworkReport;

/** Each regimen's first grid holds this many steps (doubled up to twice when the top target is not reached). */
const GRID_STEPS = 60;

/** The challenge's scenarios and regimens with the chosen steps. */
function questionOptions(settings: DoseRunSettings): DoseQuestionOptions {
  const regimens = DEFAULT_REGIMENS.map((r) => {
    const step = settings.steps[r.name as keyof DoseRunSettings['steps']];
    return { ...r, step, max: Number((GRID_STEPS * step).toFixed(10)) };
  });
  // Left unset, each model keeps its default for MCTS beside bisection (mechanistic on; network off, as every
  // dose costs forward passes); MCTS as the answer needs it on.
  return { ...settings.questions, scenarios: DEFAULT_SCENARIOS, regimens, ...(settings.questions.method === 'mcts' ? { mcts: {} } : {}) };
}

/**
 * The open dataset's subjects a network may read for its context: on the data it was trained on,
 * its training subjects only (never its validation or test subjects); on other data, every subject.
 */
function contextSubjects(
  data: Dataset,
  meta: { fingerprint: string; split: { valIds: readonly string[]; testIds: readonly string[] } },
): { subjects: number[]; note: string } {
  const all = data.subjects.flatMap((s, i) => (s.recordCount > 0 ? [i] : []));
  if (datasetFingerprint(data) !== meta.fingerprint)
    return { subjects: all, note: 'every subject of the open dataset (the network was trained on other data)' };
  const withheld = new Set([...meta.split.valIds, ...meta.split.testIds]);
  return {
    subjects: all.filter((i) => !withheld.has(data.subjects[i].id)),
    note: 'the network’s training subjects (validation and test subjects left out)',
  };
}

function releaseProxy(callback: unknown): void {
  (callback as Partial<Comlink.Remote<unknown>>)[Comlink.releaseProxy]?.();
}

const api = {
  async runMechanistic(
    source: DatasetSource,
    settings: DoseRunSettings,
    onProgress: (progress: DoseRunProgress) => void,
  ): Promise<MechanisticReport> {
    try {
      const data = await resolveDataset(source);
      const report = (p: DoseRunProgress): void => void onProgress(p);
      const result = await answerFiveQuestions(
        data,
        { ...questionOptions(settings), uncertainty: { replicates: settings.uncertaintyReplicates } },
        { onProgress: ({ stage, done, total, message }) => report({ stage, done, total, message }) },
      );
      const started = performance.now();
      const total = settings.vpcReplicates;
      const diagnostics = mechanisticDiagnostics(result.fit, extractSubjects(data), {
        replicates: total,
        seed: result.settings.seed,
        onProgress: (done) => report({ stage: 'diagnostics', done, total, message: 'visual predictive check, replicate trials' }),
      });
      return {
        kind: 'mechanistic',
        label: `Mechanistic (${result.fit.pk.options.compartments}-compartment PK, indirect-response PD)`,
        answers: result.answers,
        curves: result.curves,
        settings: result.settings,
        uncertainty: result.uncertainty,
        fit: fitSummary(result.fit),
        diagnostics,
        timing: { ...result.timing, diagnosticsSeconds: (performance.now() - started) / 1000 },
      };
    } finally {
      releaseProxy(onProgress);
    }
  },

  /**
   * A saved network's answers; with `ensembleIds` (networks of the same setup trained with other
   * seeds), bands from the ensemble's spread; with `reference` (the mechanistic answers), how far
   * the answers are from them.
   */
  async runNetwork(
    modelId: string,
    source: DatasetSource,
    settings: DoseRunSettings,
    onProgress: (progress: DoseRunProgress) => void,
    reference: readonly ComparableAnswer[] | null = null,
    ensembleIds: readonly string[] = [],
  ): Promise<NetworkReport> {
    try {
      const data = await resolveDataset(source);
      void onProgress({ stage: 'loading', done: 0, total: 0, message: 'reading the models and starting TF.js' });
      const [
        { loadModel },
        { disposeModel },
        { activateBackend, failOnGpuLoss },
        { answerNetworkDoseQuestions, compareAnswers, regimenSteps },
      ] = await Promise.all([
        import('../src/model/serialize'),
        import('../src/model/pkpd-model'),
        import('../src/platform/tfjs-runtime'),
        import('../src/dose/network-questions'),
      ]);
      const stored = await Promise.all([modelId, ...ensembleIds].map(loadTrainedModel));
      const meta = stored[0].meta;
      const choice = chooseBackend(settings.backend ?? 'auto', await probeWebGpu());
      await activateBackend(choice.backend);
      const context = contextSubjects(data, meta);
      const models: PkPdModel[] = [];
      try {
        for (const s of stored) models.push(loadModel(s.document));
        const result = await failOnGpuLoss(
          answerNetworkDoseQuestions(
            models[0],
            data,
            { ...questionOptions(settings), trainingSubjects: context.subjects, ensemble: models.slice(1) },
            { onProgress: ({ stage, done, total, message }) => void onProgress({ stage, done, total, message }) },
          ),
        );
        return {
          kind: 'network',
          modelId,
          label: ensembleIds.length > 0 ? `${meta.name} (ensemble of ${stored.length})` : meta.name,
          answers: result.answers,
          curves: result.curves,
          settings: result.settings,
          band: result.band,
          extrapolation: result.extrapolation,
          differences: reference ? compareAnswers(result.answers, reference, regimenSteps(result.settings.regimens)) : null,
          context: context.note,
          backend: choice.reason,
          seconds: result.seconds,
        };
      } finally {
        models.forEach(disposeModel);
      }
    } finally {
      releaseProxy(onProgress);
    }
  },
};

export type DosesWorkerApi = typeof api;

Comlink.expose(api);
// Tells the page when this worker ends, even without an error event (see worker-lifeline.ts).
holdLifeline(self);
