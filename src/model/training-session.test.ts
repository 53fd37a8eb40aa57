import { beforeAll, describe, expect, it } from 'vitest';
import { csvDataset, loadEstData, loadRealStudy } from '../data/features/test-support';
import { datasetFingerprint } from '../data/fingerprint';
import { modelFileText, readModelFile } from './model-file';
import { useCpuBackend } from './test-support';
import type { BackendUsed } from './trained-model';
import { DEFAULT_TRAINING_CONFIG, type TrainingConfig } from './training-config';
import { type TrainingProgress, TrainingSession, TrainingSessionError } from './training-session';
import { readEstDataCsv } from '../testing/fixture-files';

const TINY: TrainingConfig = {
  ...DEFAULT_TRAINING_CONFIG,
  hidden: 8,
  depth: 1,
  qubits: 2,
  layers: 1,
  epochs: 2,
  batchSize: 512,
  mcSamples: 3,
};
const CPU: BackendUsed = { backend: 'cpu', adapter: 'none', reason: 'test' };
const SOURCE = { datasetId: 'd1', datasetName: 'EstData' };
const ESTDATA_CSV = readEstDataCsv();

beforeAll(useCpuBackend);

describe('TrainingSession', () => {
  it('trains, reports, evaluates the test subjects once, and survives a model file round trip', async () => {
    const data = loadEstData();
    const session = new TrainingSession();
    const progress: TrainingProgress[] = [];
    const facts = await session.train(data, SOURCE, TINY, CPU, { onProgress: (p) => progress.push(p) });
    expect(facts).not.toBeNull();
    if (!facts) return;

    expect(progress.map((p) => `${p.branch.branch}${p.branch.epoch} ${p.branchNumber}/${p.branchCount}`)).toEqual([
      'pk1 1/2',
      'pk2 1/2',
      'pd1 2/2',
      'pd2 2/2',
    ]);
    expect(progress.map((p) => p.fraction)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(progress[progress.length - 1].etaMs).toBe(0);
    expect(facts.curves.map((c) => `${c.branch}${c.epoch}`)).toEqual(['pk1', 'pk2', 'pd1', 'pd2']);
    expect(facts.curves).toEqual(progress.map((p) => p.point));
    expect(facts).toMatchObject({
      datasetId: 'd1',
      fingerprint: datasetFingerprint(data),
      cancelled: false,
      test: null,
      testEvaluatedAt: null,
    });
    expect(facts.split).toMatchObject({ name: 'reference', valIds: ['16', '36', '46'], testIds: ['19', '32', '48'] });
    expect(facts.epochs).toEqual({
      pk: { run: 2, best: expect.any(Number), stop: 'max-epochs' },
      pd: { run: 2, best: expect.any(Number), stop: 'max-epochs' },
    });
    expect(facts.parameters.pd.quantum).toBeGreaterThan(0);
    expect(facts.parameters.pd.total).toBe(facts.parameters.pd.classical + facts.parameters.pd.quantum);
    expect(facts.expertUsage.pk.length).toBe(1);
    expect(facts.validation.pd?.rmse).toBeGreaterThan(0);

    const deterministic = session.report('validation', 0);
    expect(deterministic.subjectSet).toBe('validation');
    expect(deterministic.targets.pd?.metrics).toEqual(facts.validation.pd);
    expect(deterministic.targets.pk?.metrics).toEqual(facts.validation.pk);
    expect(new Set(deterministic.targets.pd?.points.map((p) => p.subject))).toEqual(new Set(['16', '36', '46']));
    const training = session.report('training', 0);
    expect(training.targets.pd?.curves.length).toBe(data.subjects.length - 6);

    const banded = session.report('validation');
    expect(banded.mcSamples).toBe(3);
    expect(banded.targets.pd?.curves[0].lower).not.toBeNull();

    const evaluation = session.evaluateTest(1234);
    expect(evaluation.facts.testEvaluatedAt).toBe(1234);
    expect(evaluation.facts.test?.pd?.n).toBe(evaluation.report.targets.pd?.points.length);
    expect(new Set(evaluation.report.targets.pd?.points.map((p) => p.subject))).toEqual(new Set(['19', '32', '48']));
    expect(session.facts?.test).toEqual(evaluation.facts.test);
    expect(() => session.evaluateTest()).toThrow(/already evaluated/);

    const text = modelFileText({ ...evaluation.facts, id: 'm1', name: 'Tiny', createdAt: 1 }, session.document());
    const file = readModelFile(text);
    const reopened = new TrainingSession();
    reopened.open(file.meta, file.model, structuredClone(data));
    expect(reopened.datasetMatches).toBe(true);
    expect(reopened.report('validation')).toEqual(session.report('validation'));
    expect(reopened.facts?.test).toEqual(evaluation.facts.test);
    expect(() => reopened.evaluateTest()).toThrow(TrainingSessionError);
    session.close();
    reopened.close();
  });

  it('keeps the best-so-far networks of a cancelled run, and nothing when no epoch finished', async () => {
    const data = loadEstData();
    const session = new TrainingSession();
    const signal = { aborted: false };
    const facts = await session.train(data, SOURCE, { ...TINY, epochs: 5 }, CPU, { signal, onProgress: () => (signal.aborted = true) });
    expect(facts?.cancelled).toBe(true);
    expect(facts?.epochs).toEqual({ pk: { run: 1, best: 1, stop: 'cancelled' } });
    expect(facts?.validation.pk?.rmse).toBeGreaterThan(0);
    expect(facts?.validation.pd).toBeNull();
    expect(Object.keys(session.report('validation', 0).targets)).toEqual(['pk']);

    const nothing = await session.train(data, SOURCE, TINY, CPU, { signal: { aborted: true } });
    expect(nothing).toBeNull();
    expect(session.facts).toBeNull();
    expect(() => session.report('validation')).toThrow(/No model is open/);
  });

  it('opens a saved model on another dataset with a warning flag, and refuses its test evaluation', async () => {
    const data = loadEstData();
    const session = new TrainingSession();
    const facts = await session.train(data, SOURCE, { ...TINY, epochs: 1, mode: 'multitask' }, CPU);
    if (!facts) throw new Error('expected a model');
    const document = session.document();
    const changed = csvDataset([ESTDATA_CSV.replace('\n1,58,0,0,1,13.7783,', '\n1,58,0,0,1,13.7784,')], 'EstData.csv');
    const other = new TrainingSession();
    other.open(facts, document, changed);
    expect(other.datasetMatches).toBe(false);
    expect(other.report('validation', 0).targets.pd?.points.length).toBeGreaterThan(0);
    expect(() => other.evaluateTest()).toThrow(/not the one this model was trained on/);
    expect(other.facts?.test).toBeNull();
    session.close();
    other.close();
  });

  it('validates the direct head on another file of the study: every subject, the metrics of its report, its own data refused', async () => {
    const [header, ...rows] = ESTDATA_CSV.trim().split('\n');
    const part = (from: number, to: number): string =>
      `${[header, ...rows.filter((r) => Number(r.split(',')[0]) >= from && Number(r.split(',')[0]) <= to)].join('\n')}\n`;
    const first = csvDataset([part(1, 24)], 'first.csv');
    const other = csvDataset([part(25, 48)], 'other.csv');
    const session = new TrainingSession();
    const facts = await session.train(first, SOURCE, { ...TINY, epochs: 1, mode: 'multitask', encoder: 'mlp' }, CPU);
    expect(facts).not.toBeNull();
    const external = session.evaluateExternal(other);
    expect(external.subjects).toBe(other.subjects.length);
    expect(external.report.subjectSet).toBe('external');
    expect(new Set(external.report.targets.pd?.points.map((p) => p.subject)).size).toBe(other.subjects.filter((s) => s.pdCount > 0).length);
    expect(external.report.targets.pd?.metrics).toEqual(external.metrics.pd);
    expect(external.metrics.pk?.n).toBeGreaterThan(0);
    expect(() => session.evaluateExternal(structuredClone(first))).toThrow(/data the model was trained on/);
    session.close();
  });

  it('trains through a study spec: its endpoint alone (PK), its groups, its criterion and units in the report', async () => {
    const { dataset, spec } = loadRealStudy('theo_sd', 'theophylline');
    const session = new TrainingSession();
    const progress: TrainingProgress[] = [];
    const config: TrainingConfig = { ...TINY, encoder: 'mlp', classification: true };
    const facts = await session.train(
      dataset,
      { datasetId: null, datasetName: 'theo' },
      config,
      CPU,
      { onProgress: (p) => progress.push(p) },
      spec,
    );
    expect(facts).not.toBeNull();
    expect(progress.map((p) => `${p.branch.branch}${p.branch.epoch} ${p.branchNumber}/${p.branchCount}`)).toEqual(['pk1 1/1', 'pk2 1/1']);
    expect(facts!.split.rule).toMatch(/^no group \(regimen\) has 3 subjects/);
    expect(facts!.validation.pk).not.toBeNull();
    expect(facts!.validation.pd).toBeNull();
    const report = session.report('validation');
    expect(report.targets.pd).toBeUndefined();
    expect(report.targets.pk).toMatchObject({ name: 'Theophylline', unit: 'mg/L', time: 'h', amount: 'mg' });
    expect(report.criterion).toEqual({ target: 'pk', levels: [10, 20], label: 'Theophylline within 10–20 mg/L' });
    // The study's units, names and head are recorded with the model, and kept by its model file.
    expect(facts!.labels).toEqual({
      time: 'h',
      amount: 'mg',
      pk: { name: 'Theophylline', unit: 'mg/L' },
      pd: { name: 'PD', unit: '' },
      criterion: { endpoint: 'pk', rule: 'within', range: [10, 20], unit: 'mg/L', name: 'Theophylline' },
    });
    const file = readModelFile(modelFileText({ ...facts!, id: 'm1', name: 'Theo', createdAt: 1 }, session.document()));
    expect(file.meta.labels).toEqual(facts!.labels);
    session.close();
  });
});
