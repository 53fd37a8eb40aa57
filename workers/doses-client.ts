import * as Comlink from 'comlink';
import type { Dataset } from '../src/data/types';
import { datasetSource } from '../src/store/dataset-source';
import { workerName } from '../src/platform/threads';
import type { DoseAnswer } from '../src/dose/dose-questions';
import type { DoseRunOptions, DoseRunProgress, MechanisticRunReport, NetworkRunReport } from '../src/dose/dose-run-report';
import type { HybridRunSettings } from '../src/model/mechanistic/hybrid-doses';
import type { CovariateSearchReport, CovariateStepReport } from '../src/pkpd/population/covariate-search-report';
import type { StudySpec } from '../src/study/study-spec';
import type { DosesWorkerApi, NetworkRunOptions } from './doses.worker';
import { type CrashWording, WorkerSession } from './worker-session';

const PATIENT_MODEL: CrashWording = {
  work: 'Reading the hybrid model for this patient',
  advice: 'Retry (a fresh worker starts); your saved models are kept.',
};

const COVARIATE_SEARCH: CrashWording = {
  work: 'The covariate search',
  advice: 'Retry (a fresh worker starts), perhaps with fewer covariate columns in the study.',
};

export class DoseRunCancelledError extends Error {
  constructor() {
    super('The dose questions were cancelled.');
    this.name = 'DoseRunCancelledError';
  }
}

/**
 * The dose worker, started on first use. A stored dataset goes to it as its id (the worker reads it
 * from IndexedDB), with the study spec to answer. `cancel()` terminates it — the only way to stop the
 * synchronous fit mid-way — so the pending call rejects with DoseRunCancelledError and the next
 * call starts a fresh worker. A crash rejects the pending call with WorkerCrashedError.
 */
export class DosesClient {
  private readonly session = new WorkerSession<DosesWorkerApi>(
    () => new Worker(new URL('./doses.worker.ts', import.meta.url), { type: 'module', name: workerName('doses') }),
    { work: 'The dose questions', advice: 'Retry (a fresh worker starts), perhaps with fewer virtual subjects.' },
  );

  runMechanistic(
    data: Dataset,
    spec: StudySpec,
    options: DoseRunOptions,
    onProgress: (progress: DoseRunProgress) => void,
  ): Promise<MechanisticRunReport> {
    return this.session.run((api) => api.runMechanistic(datasetSource(data), spec, options, Comlink.proxy(onProgress)));
  }

  /** A saved network's answers (see the worker's runNetwork for `reference` and `ensembleIds`). */
  runNetwork(
    modelId: string,
    data: Dataset,
    spec: StudySpec,
    options: NetworkRunOptions,
    onProgress: (progress: DoseRunProgress) => void,
    reference: readonly Pick<DoseAnswer, 'scenario' | 'target' | 'regimen' | 'dose'>[] | null = null,
    ensembleIds: readonly string[] = [],
  ): Promise<NetworkRunReport> {
    return this.session.run((api) =>
      api.runNetwork(modelId, datasetSource(data), spec, options, Comlink.proxy(onProgress), reference, ensembleIds),
    );
  }

  /** A hybrid model (the population model with an encoder as its covariate model) fitted and answering. */
  runHybrid(
    data: Dataset,
    spec: StudySpec,
    options: NetworkRunOptions,
    settings: HybridRunSettings,
    onProgress: (progress: DoseRunProgress) => void,
  ): Promise<MechanisticRunReport> {
    return this.session.run((api) => api.runHybrid(datasetSource(data), spec, options, settings, Comlink.proxy(onProgress)));
  }

  /**
   * A saved hybrid model (src/store/models.ts `listHybridModels`) as one patient's population model:
   * the fixed-value study spec for these covariates (and baseline response, where the network reads
   * it: hybrid-patient-model.ts `patientBaselinePd`), to read with src/patient/population-model.ts
   * `readPatientModel`. Rejects with PatientModelError or PatientDataError (user-facing).
   */
  patientModel(modelId: string, covariates: Record<string, number>, baselinePd?: number): Promise<StudySpec> {
    return this.session.run((api) => api.patientModel(modelId, covariates, baselinePd), PATIENT_MODEL);
  }

  /** The stepwise covariate search (the worker's covariateSearch); cancel() stops it. */
  covariateSearch(
    data: Dataset,
    spec: StudySpec,
    onProgress: (progress: DoseRunProgress) => void,
    onStep: (step: CovariateStepReport) => void,
  ): Promise<{ report: CovariateSearchReport; spec: StudySpec }> {
    return this.session.run(
      (api) => api.covariateSearch(datasetSource(data), spec, Comlink.proxy(onProgress), Comlink.proxy(onStep)),
      COVARIATE_SEARCH,
    );
  }

  cancel(): void {
    this.session.cancel(new DoseRunCancelledError());
  }

  terminate(): void {
    this.session.terminate();
  }
}
