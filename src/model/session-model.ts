/**
 * A trained model as the Model view works with it, whatever its head: its metrics and report on any
 * subjects of a dataset, its stored document, and freeing it. The direct head (pkpd-model.ts: the
 * networks predict the observations) and the mechanistic one (mechanistic/hybrid-model.ts: a
 * population PK/PD model whose covariate model is the network) differ only here; training-session.ts
 * trains, opens, reports and evaluates either through this interface.
 */
import type { Dataset } from '../data/types';
import type { StudySpec } from '../study/study-spec';
import { studyClassification } from './classification';
import { buildHybridReport } from './mechanistic/hybrid-report';
import { HYBRID_DOCUMENT_FORMAT, type HybridDocument, loadHybrid, saveHybrid } from './mechanistic/hybrid-document';
import { disposeHybridModel, type HybridModel } from './mechanistic/hybrid-model';
import { evaluateHybrid } from './mechanistic/hybrid-run';
import { disposeModel, type PkPdModel } from './pkpd-model';
import { buildModelReport, type ReportLabels, studyReportLabels } from './report/build';
import type { ModelReport } from './report/types';
import { loadModel, type ModelDocument, saveModel } from './serialize';
import type { TrainingHead } from './training-config';
import { evaluateSubjects } from './train-pkpd';
import type { SubjectMetrics } from './trained-model';

/** What the store and model files keep of a model: a direct model's networks, or a hybrid model. */
export type StoredModelDocument = ModelDocument | HybridDocument;

export interface ReportSettings {
  /** MC-dropout samples of the direct head's bands (the hybrid head's predictions are deterministic). */
  readonly mcSamples: number;
  readonly seed: number;
  /** The study the report is labelled by (its units, endpoint names, criterion); null: the model's own. */
  readonly spec: StudySpec | null;
}

export interface SessionModel {
  readonly head: TrainingHead;
  /** Metrics of the deterministic predictions of subjects (indices into `dataset.subjects`), the numbers of `train`. */
  metrics(dataset: Dataset, subjects: readonly number[]): SubjectMetrics;
  report(dataset: Dataset, subjects: readonly number[], set: ModelReport['subjectSet'], settings: ReportSettings): ModelReport;
  document(metadata: Record<string, unknown>): StoredModelDocument;
  dispose(): void;
}

export function isHybridDocument(document: StoredModelDocument): document is HybridDocument {
  return document.format === HYBRID_DOCUMENT_FORMAT;
}

export function directSessionModel(model: PkPdModel): SessionModel {
  return {
    head: 'direct',
    metrics: (dataset, subjects) => evaluateSubjects(model, dataset, subjects).metrics,
    report: (dataset, subjects, set, { mcSamples, seed, spec }) => {
      const labels: ReportLabels | undefined = spec
        ? studyReportLabels(spec, model.classification ?? studyClassification(spec))
        : undefined;
      return buildModelReport(model, dataset, subjects, set, { mcSamples, seed, ...(labels ? { labels } : {}) });
    },
    document: (metadata) => saveModel(model, metadata),
    dispose: () => disposeModel(model),
  };
}

export function hybridSessionModel(model: HybridModel): SessionModel {
  const ids = (dataset: Dataset, subjects: readonly number[]): Set<string> => new Set(subjects.map((i) => dataset.subjects[i].id));
  return {
    head: 'mechanistic',
    metrics: (dataset, subjects) => evaluateHybrid(model, dataset, ids(dataset, subjects)),
    report: (dataset, subjects, set, { spec }) => {
      const study = spec ?? model.spec;
      return buildHybridReport(model, dataset, set, studyReportLabels(study, studyClassification(study)), ids(dataset, subjects));
    },
    document: (metadata) => saveHybrid(model, metadata),
    dispose: () => disposeHybridModel(model),
  };
}

/** Rebuilds a stored model (its document was checked when it was stored or imported). */
export function loadSessionModel(document: StoredModelDocument): SessionModel {
  return isHybridDocument(document) ? hybridSessionModel(loadHybrid(document)) : directSessionModel(loadModel(document));
}
