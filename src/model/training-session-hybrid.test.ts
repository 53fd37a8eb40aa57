/**
 * The Model view's session with the mechanistic head (a hybrid model): trained through the same
 * TrainingSession as the direct head, its report and metrics, the once-only test evaluation, the
 * model file round trip, and external validation on another file of the study — on small simulated
 * trials of the nonlinear-clearance truth (mechanistic/testing/nonlinear-truth.ts: oral PK and a direct PD).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nonlinearTrial, NONLINEAR_SPEC } from './mechanistic/testing/nonlinear-truth';
import { evaluateHybrid } from './mechanistic/hybrid-run';
import { loadHybrid } from './mechanistic/hybrid-document';
import { disposeHybridModel } from './mechanistic/hybrid-model';
import { modelFileText, readModelFile } from './model-file';
import { isHybridDocument } from './session-model';
import { useCpuBackend } from './test-support';
import type { BackendUsed } from './trained-model';
import { DEFAULT_TRAINING_CONFIG, type TrainingConfig } from './training-config';
import { type TrainingProgress, TrainingSession, TrainingSessionError } from './training-session';
import type { Dataset } from '../data/types';

const HYBRID: TrainingConfig = { ...DEFAULT_TRAINING_CONFIG, head: 'mechanistic', encoder: 'mlp', hidden: 8, depth: 1, epochs: 3 };
const CPU: BackendUsed = { backend: 'cpu', adapter: 'none', reason: 'test' };
const SOURCE = { datasetId: 'd1', datasetName: 'trial A' };

beforeAll(useCpuBackend);

/** A file of the same study without one of its covariate columns (the network reads WT). */
function withoutColumn(dataset: Dataset, column: string): Dataset {
  const copy = structuredClone(dataset);
  copy.covariates = copy.covariates.filter((c) => c.name !== column);
  for (const subject of copy.subjects) delete subject.baseline[column];
  return copy;
}

describe('TrainingSession with the mechanistic head', () => {
  it('trains a hybrid model, reports, evaluates once, round-trips through a model file and validates on another file', async () => {
    const data = nonlinearTrial(40, 3);
    const session = new TrainingSession();
    const progress: TrainingProgress[] = [];
    const stages: (string | null)[] = [];
    const facts = await session.train(
      data,
      SOURCE,
      HYBRID,
      CPU,
      { onProgress: (p) => progress.push(p), onStage: (t) => stages.push(t) },
      NONLINEAR_SPEC,
    );
    // Between the network steps the population fits are announced (before the first round, then after each).
    expect(stages[0]).toMatch(/before the first round/);
    expect(stages.filter((t) => t !== null && /round \d of 3/.test(t))).toHaveLength(3);
    expect(facts).not.toBeNull();
    if (!facts) return;
    // One network step per round, each of at most 3 epochs; the curves are the progress's points.
    expect(new Set(progress.map((p) => p.branch.branch))).toEqual(new Set(['round1', 'round2', 'round3']));
    expect(progress.every((p) => p.branchCount === 3 && p.branch.epoch <= 3)).toBe(true);
    expect(facts.curves).toEqual(progress.map((p) => p.point));
    expect(Object.keys(facts.epochs)).toEqual(['round1', 'round2', 'round3']);
    expect(facts.hybrid?.shifted).toContain('CL');
    // The spec's covariates and each subject's pre-dose response (hybrid-baseline.ts).
    expect(facts.hybrid?.inputs).toEqual(['WT', 'AGE', '@PD0']);
    expect(facts.hybrid?.ofv.rounds).toHaveLength(3);
    expect(facts.parameters.hybrid.total).toBeGreaterThan(0);
    expect(facts.validation.pk?.n).toBeGreaterThan(0);
    expect(facts.validation.pd?.n).toBeGreaterThan(0);

    // The report's metrics are the facts' (the same typical predictions of the validation subjects).
    const report = session.report('validation');
    expect(report.mcSamples).toBe(0);
    expect(report.targets.pk?.metrics).toEqual(facts.validation.pk);
    expect(report.targets.pd?.metrics).toEqual(facts.validation.pd);
    expect(new Set(report.targets.pk?.points.map((p) => p.subject))).toEqual(new Set(facts.split.valIds));
    const curve = report.targets.pk!.curves[0];
    expect(curve.time.length).toBeGreaterThan(100);
    expect(curve.doses.length).toBe(5);
    // The curves pass through the points' predictions at their times (PK in closed form: exactly; PD to the integration's accuracy).
    const point = report.targets.pk!.points.find((p) => p.subject === curve.subject)!;
    expect(curve.predicted[curve.time.indexOf(point.time)]).toBe(point.predicted);
    const pdCurve = report.targets.pd!.curves[0];
    const pdPoint = report.targets.pd!.points.find((p) => p.subject === pdCurve.subject)!;
    expect(pdCurve.predicted[pdCurve.time.indexOf(pdPoint.time)]).toBeCloseTo(pdPoint.predicted, 5);
    expect(session.report('training').targets.pk?.curves.length).toBe(
      data.subjects.length - facts.split.valIds.length - facts.split.testIds.length,
    );

    const evaluation = session.evaluateTest(99);
    expect(evaluation.facts.test?.pk?.n).toBe(evaluation.report.targets.pk?.points.length);
    expect(new Set(evaluation.report.targets.pk?.points.map((p) => p.subject))).toEqual(new Set(facts.split.testIds));
    expect(() => session.evaluateTest()).toThrow(/already evaluated/);

    // Saved and read back as a model file: a hybrid document, identical predictions.
    const document = session.document();
    expect(isHybridDocument(document)).toBe(true);
    const file = readModelFile(modelFileText({ ...evaluation.facts, id: 'm1', name: 'Hybrid', createdAt: 1 }, document));
    expect(file.meta.hybrid).toEqual(facts.hybrid);
    expect(file.meta.config.head).toBe('mechanistic');
    const reopened = new TrainingSession();
    reopened.open(file.meta, file.model, structuredClone(data), NONLINEAR_SPEC);
    expect(reopened.report('validation')).toEqual(report);

    // External validation: every subject of another trial of the study, as evaluateHybrid computes it.
    const other = nonlinearTrial(12, 8);
    const external = reopened.evaluateExternal(other);
    expect(external.subjects).toBe(12);
    expect(external.report.subjectSet).toBe('external');
    expect(new Set(external.report.targets.pk?.points.map((p) => p.subject)).size).toBe(12);
    const model = loadHybrid(file.model);
    try {
      expect(external.metrics).toEqual(evaluateHybrid(model, other));
    } finally {
      disposeHybridModel(model);
    }
    expect(external.report.targets.pk?.metrics).toEqual(external.metrics.pk);
    // Its own data is refused (its test subjects are evaluated once, through the split)…
    expect(() => reopened.evaluateExternal(structuredClone(data))).toThrow(TrainingSessionError);
    // …and so is a file without a column the network reads.
    expect(() => reopened.evaluateExternal(withoutColumn(other, 'WT'))).toThrow(/has no value of WT/);
    session.close();
    reopened.close();
  }, 120_000);

  it('needs a study, and keeps nothing when cancelled', async () => {
    const data = nonlinearTrial(20, 4);
    const session = new TrainingSession();
    await expect(session.train(data, SOURCE, HYBRID, CPU)).rejects.toThrow(/set up the study/);
    const signal = { aborted: false };
    const cancelled = await session.train(data, SOURCE, HYBRID, CPU, { signal, onProgress: () => (signal.aborted = true) }, NONLINEAR_SPEC);
    expect(cancelled).toBeNull();
    expect(session.facts).toBeNull();
  }, 60_000);
});
