/**
 * Saved networks on the Doses tab: which subjects of the open dataset a network may read, and its
 * answers to the study's questions (network-questions.ts `answerNetworkStudyQuestions`, the engine
 * every model uses) as a run report (dose-run-report.ts), beside the population model's.
 */
import { datasetFingerprint } from '../data/fingerprint';
import type { Dataset } from '../data/types';
import type { StudySpec } from '../study/study-spec';
import { answeredQuestions, type NetworkRunReport } from './dose-run-report';
import type { NetworkStudyResult } from './network-questions';

/**
 * The open dataset's subjects a network may read for its context: on the data it was trained on,
 * its training subjects only (never its validation or test subjects); on other data, every subject.
 */
export function networkContextSubjects(
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

/** A network's answers as a run report. */
export function networkRunReport(
  spec: StudySpec,
  result: NetworkStudyResult,
  facts: Pick<NetworkRunReport, 'modelId' | 'label' | 'differences' | 'context' | 'backend'>,
): NetworkRunReport {
  return {
    kind: 'network',
    ...answeredQuestions(spec, facts.label, result),
    modelId: facts.modelId,
    band: result.band,
    extrapolation: result.extrapolation.map((e) => ({
      scenario: e.scenario,
      regimen: e.regimen,
      dose: e.dose,
      features: e.features.map((f) => ({ branch: f.branch, feature: f.feature, beyond: f.beyond })),
    })),
    differences: facts.differences,
    context: facts.context,
    backend: facts.backend,
    seconds: result.seconds,
  };
}
