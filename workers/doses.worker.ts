/**
 * The dose questions off the main thread, a thin adapter: the dataset (read from IndexedDB by id) and
 * the study spec come in; the spec's population model is fitted and its questions answered with
 * bands and diagnostics (src/dose/dose-run-report.ts `runStudyDoses`), or a saved network answers
 * them (TF.js, loaded only when a network runs; src/dose/dose-run-networks.ts). The reports are the
 * types of src/dose. Cancel by terminating the worker (the fit is synchronous, so a message could not
 * interrupt it).
 */
import * as Comlink from 'comlink';
import { holdLifeline } from './worker-lifeline';
import { sharedFitPool } from './fit-pool';
import { sharedDosePool } from './dose-pool';
import { networkContextSubjects, networkRunReport } from '../src/dose/dose-run-networks';
import {
  checkedRunSpec,
  checkRunOptions,
  type DoseRunOptions,
  type DoseRunProgress,
  type MechanisticRunReport,
  type NetworkRunReport,
  runStudyDoses,
} from '../src/dose/dose-run-report';
import type { DoseAnswer } from '../src/dose/dose-questions';
import { modelExportsOf } from '../src/export/model/model-exports';
import {
  covariateSearch,
  covariateSearchAsync,
  type CovariateSearchProgress,
  type CovariateStep,
} from '../src/pkpd/population/covariate-search';
import {
  type CovariateSearchReport,
  covariateSearchReport,
  type CovariateStepReport,
  covariateStepReport,
} from '../src/pkpd/population/covariate-search-report';
import type { HybridRunSettings } from '../src/model/mechanistic/hybrid-doses';
import type { PkPdModel } from '../src/model/pkpd-model';
import { type BackendRequest, chooseBackend } from '../src/platform/compute-backend';
import { probeWebGpu } from '../src/platform/webgpu-probe';
import type { StudySpec } from '../src/study/study-spec';
import { isHybridModelMeta, loadTrainedModel } from '../src/store/models';
import { PatientModelError } from '../src/patient/population-model';
import { type DatasetSource, resolveDataset } from '../src/store/dataset-source';

/** A network run's options: the TF.js backend is the policy's choice ('auto') or, to retry on the CPU path, 'wasm'. */
export type NetworkRunOptions = DoseRunOptions & { backend?: BackendRequest };

function releaseProxy(callback: unknown): void {
  (callback as Partial<Comlink.Remote<unknown>>)[Comlink.releaseProxy]?.();
}

const api = {
  /** The study's population model fitted to the dataset, its questions answered, its diagnostics. */
  async runMechanistic(
    source: DatasetSource,
    spec: StudySpec,
    options: DoseRunOptions,
    onProgress: (progress: DoseRunProgress) => void,
  ): Promise<MechanisticRunReport> {
    try {
      // On more than one thread the fit is split by subject across fit-pool workers (fit-pool.ts), started
      // from this worker (they start while the dataset is read, and are kept for the next run):
      // cancelling ends this worker and them with it.
      const fitPool = sharedFitPool();
      const data = await resolveDataset(source);
      // And the questions' virtual subjects and replicates across dose-pool workers (dose-pool.ts), likewise.
      const dosePool = sharedDosePool();
      return await runStudyDoses(data, spec, options, {
        onProgress: (p) => void onProgress(p),
        exportModel: modelExportsOf,
        fitStudy: fitPool ? (d, s, c) => fitPool.fitStudy(d, s, c) : undefined,
        dosePool,
      }).finally(() => dosePool?.release());
    } finally {
      releaseProxy(onProgress);
    }
  },

  /**
   * A saved network's answers; with `ensembleIds` (networks of the same setup trained with other
   * seeds), bands from the ensemble's spread; with `reference` (the population model's answers), how
   * far the answers are from them.
   */
  async runNetwork(
    modelId: string,
    source: DatasetSource,
    spec: StudySpec,
    options: NetworkRunOptions,
    onProgress: (progress: DoseRunProgress) => void,
    reference: readonly Pick<DoseAnswer, 'scenario' | 'target' | 'regimen' | 'dose'>[] | null = null,
    ensembleIds: readonly string[] = [],
  ): Promise<NetworkRunReport> {
    try {
      checkRunOptions(options);
      const checked = checkedRunSpec(spec);
      const data = await resolveDataset(source);
      void onProgress({ stage: 'loading', done: 0, total: 0, message: 'reading the models and starting TF.js' });
      const [
        { loadModel },
        { disposeModel },
        { activateBackend, failOnGpuLoss },
        { answerNetworkStudyQuestions, comparableAnswer, compareAnswers, regimenSteps },
      ] = await Promise.all([
        import('../src/model/serialize'),
        import('../src/model/pkpd-model'),
        import('../src/platform/tfjs-runtime'),
        import('../src/dose/network-questions'),
      ]);
      const stored = await Promise.all([modelId, ...ensembleIds].map(loadTrainedModel));
      const meta = stored[0].meta;
      const choice = chooseBackend(options.backend ?? 'auto', await probeWebGpu());
      await activateBackend(choice.backend);
      const context = networkContextSubjects(data, meta);
      const models: PkPdModel[] = [];
      try {
        for (const s of stored) models.push(loadModel(s.document));
        const result = await failOnGpuLoss(
          answerNetworkStudyQuestions(
            models[0],
            data,
            checked,
            {
              method: options.method,
              ...(options.method === 'mcts' ? { mcts: {} } : {}),
              trainingSubjects: context.subjects,
              ensemble: models.slice(1),
            },
            { onProgress: ({ stage, done, total, message }) => void onProgress({ stage, done, total, message }) },
          ),
        );
        const steps = regimenSteps(checked.questions?.regimens ?? []);
        return networkRunReport(checked, result, {
          modelId,
          label: ensembleIds.length > 0 ? `${meta.name} (ensemble of ${stored.length})` : meta.name,
          differences: reference ? compareAnswers(result.answers.map(comparableAnswer), reference.map(comparableAnswer), steps) : null,
          context: context.note,
          backend: choice.reason,
        });
      } finally {
        models.forEach(disposeModel);
      }
    } finally {
      releaseProxy(onProgress);
    }
  },

  /**
   * A hybrid model — the study's population model with an encoder as its covariate model — fitted to
   * the dataset and answering as the population model does (src/model/mechanistic/hybrid-doses.ts).
   */
  async runHybrid(
    source: DatasetSource,
    spec: StudySpec,
    options: NetworkRunOptions,
    settings: HybridRunSettings,
    onProgress: (progress: DoseRunProgress) => void,
  ): Promise<MechanisticRunReport> {
    try {
      const data = await resolveDataset(source);
      void onProgress({ stage: 'loading', done: 0, total: 0, message: 'starting TF.js' });
      const [{ activateBackend, failOnGpuLoss }, { runHybridDoses }] = await Promise.all([
        import('../src/platform/tfjs-runtime'),
        import('../src/model/mechanistic/hybrid-doses'),
      ]);
      const choice = chooseBackend(options.backend ?? 'auto', await probeWebGpu());
      await activateBackend(choice.backend);
      // The questions on dose-pool workers (the network's covariates computed here, dose-pool.ts `poolPopulation`).
      const dosePool = sharedDosePool();
      return await failOnGpuLoss(
        runHybridDoses(data, spec, options, settings, { onProgress: (p) => void onProgress(p), exportModel: modelExportsOf, dosePool }),
      ).finally(() => dosePool?.release());
    } finally {
      releaseProxy(onProgress);
    }
  },

  /**
   * The stepwise covariate search on the open dataset and its study (src/pkpd/population/covariate-search.ts):
   * progress per fit, each step's table as it completes, the report and the study spec with the chosen
   * covariates. Cancelled by terminating the worker (the client's cancel()).
   */
  async covariateSearch(
    source: DatasetSource,
    spec: StudySpec,
    onProgress: (progress: DoseRunProgress) => void,
    onStep: (step: CovariateStepReport) => void,
  ): Promise<{ report: CovariateSearchReport; spec: StudySpec }> {
    try {
      // On more than one thread each step's fits run side by side on the fit workers (fit-pool.ts), the same search.
      const fitPool = sharedFitPool();
      const data = await resolveDataset(source);
      const progress = (p: CovariateSearchProgress): void =>
        void onProgress({
          stage: 'fit',
          done: p.fits,
          total: 0,
          message:
            p.phase === 'base' || p.phase === 'final'
              ? `${p.phase === 'base' ? 'the base model' : 'the chosen model'}`
              : `${p.phase} step ${p.step}: candidate ${p.candidate} of ${p.candidates}${p.name ? ` (${p.name})` : ''}`,
        });
      const onStepDone = (step: CovariateStep): void => void onStep(covariateStepReport(step));
      const result = fitPool
        ? await covariateSearchAsync(data, spec, { onStep: onStepDone }, (jobs) =>
            fitPool.fitOutcomes(data, jobs, (job) => progress(job.progress)),
          )
        : covariateSearch(data, spec, { onProgress: progress, onStep: onStepDone });
      return { report: covariateSearchReport(result), spec: result.spec };
    } finally {
      releaseProxy(onProgress);
      releaseProxy(onStep);
    }
  },

  /**
   * A saved hybrid model as one patient's population model: the fixed-value study spec of the patient
   * with these covariates (and baseline response, where the network reads it), JSON-ready
   * (src/model/mechanistic/hybrid-patient-model.ts). Rejects with a PatientModelError (not a hybrid
   * model) or a PatientDataError naming a missing covariate.
   */
  async patientModel(modelId: string, covariates: Record<string, number>, baselinePd?: number): Promise<StudySpec> {
    const { meta, document } = await loadTrainedModel(modelId);
    if (!isHybridModelMeta(meta))
      throw new PatientModelError(
        `“${meta.name}” is not a hybrid model; only a hybrid model (the Model tab's mechanistic head) is read here.`,
      );
    const [{ activateBackend }, { loadHybrid }, { disposeHybridModel }, { hybridPatientDocument }] = await Promise.all([
      import('../src/platform/tfjs-runtime'),
      import('../src/model/mechanistic/hybrid-document'),
      import('../src/model/mechanistic/hybrid-model'),
      import('../src/model/mechanistic/hybrid-patient-model'),
    ]);
    // One forward pass of a small network: the plain JavaScript path, always there, needs no GPU start.
    await activateBackend('cpu');
    const hybrid = loadHybrid(document);
    try {
      return hybridPatientDocument(hybrid, covariates, baselinePd, meta.name);
    } finally {
      disposeHybridModel(hybrid);
    }
  },
};

export type DosesWorkerApi = typeof api;

Comlink.expose(api);
// Tells the page when this worker ends, even without an error event (see worker-lifeline.ts).
holdLifeline(self);
