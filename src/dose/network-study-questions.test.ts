/**
 * The network dose simulator on a study's spec: EstData's answers unchanged (the same saved networks
 * give the README's answers), and what a network refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estDataSpec } from '../data/features/test-support';
import { disposeModel } from '../model/pkpd-model';
import { useCpuBackend } from '../model/test-support';
import type { StudySpec } from '../study/study-spec';
import { answerNetworkStudyQuestions } from './network-questions';
import { type TinyNetwork, trainTinyNetwork } from './network-test-support';

/**
 * [scenario, target, regimen, dose (mg), fraction] of the tiny networks (network-test-support.ts, seed 1) on 60
 * virtual subjects, seed 3, the trial's COMED share 0.5 — computed by the code before networks read study specs
 * (commit bc03053, answerNetworkDoseQuestions).
 */
const BEFORE: Record<'cascade' | 'independent' | 'multitask', [string, number, string, number | null, number | null][]> = {
  cascade: [
    ['base', 0.9, 'daily', 11.5, 0.9833333333333333],
    ['base', 0.75, 'daily', 11, 0.8166666666666667],
    ['base', 0.9, 'weekly', 85, 0.95],
    ['base', 0.75, 'weekly', 85, 0.95],
    ['bw70_140', 0.9, 'daily', 12.5, 0.9333333333333333],
    ['bw70_140', 0.75, 'daily', 12.5, 0.9333333333333333],
    ['bw70_140', 0.9, 'weekly', 90, 1],
    ['bw70_140', 0.75, 'weekly', 85, 0.8666666666666667],
    ['no_comed', 0.9, 'daily', 12, 0.95],
    ['no_comed', 0.75, 'daily', 11.5, 0.8333333333333334],
    ['no_comed', 0.9, 'weekly', 90, 1],
    ['no_comed', 0.75, 'weekly', 85, 0.8833333333333333],
  ],
  independent: [
    ['base', 0.9, 'daily', 57.5, 0.9333333333333333],
    ['base', 0.75, 'daily', 56.5, 0.7833333333333333],
    ['base', 0.9, 'weekly', 970, 0.9],
    ['base', 0.75, 'weekly', 795, 0.7666666666666667],
    ['bw70_140', 0.9, 'daily', 62, 0.9333333333333333],
    ['bw70_140', 0.75, 'daily', 60, 0.75],
    ['bw70_140', 0.9, 'weekly', null, null],
    ['bw70_140', 0.75, 'weekly', null, null],
    ['no_comed', 0.9, 'daily', 57, 0.9166666666666666],
    ['no_comed', 0.75, 'daily', 56, 0.7833333333333333],
    ['no_comed', 0.9, 'weekly', 940, 0.9],
    ['no_comed', 0.75, 'weekly', 775, 0.75],
  ],
  multitask: [
    ['base', 0.9, 'daily', 8.5, 1],
    ['base', 0.75, 'daily', 8, 0.8166666666666667],
    ['base', 0.9, 'weekly', 30, 1],
    ['base', 0.75, 'weekly', 30, 1],
    ['bw70_140', 0.9, 'daily', 9, 1],
    ['bw70_140', 0.75, 'daily', 9, 1],
    ['bw70_140', 0.9, 'weekly', 30, 1],
    ['bw70_140', 0.75, 'weekly', 30, 1],
    ['no_comed', 0.9, 'daily', 8.5, 1],
    ['no_comed', 0.75, 'daily', 8, 0.8833333333333333],
    ['no_comed', 0.9, 'weekly', 30, 1],
    ['no_comed', 0.75, 'weekly', 30, 1],
  ],
};

const MODES = ['cascade', 'independent', 'multitask'] as const;
const tiny: Partial<Record<(typeof MODES)[number], TinyNetwork>> = {};

beforeAll(async () => {
  await useCpuBackend();
  for (const mode of MODES) tiny[mode] = await trainTinyNetwork(mode, 1);
});

afterAll(() => {
  for (const t of Object.values(tiny)) disposeModel(t.model);
});

describe('EstData answers of a network: the same as before networks read the spec', () => {
  for (const mode of MODES) {
    it(`${mode}: the EstData preset's questions give the same answers`, async () => {
      const t = tiny[mode]!;
      const result = await answerNetworkStudyQuestions(t.model, t.view.development, estDataSpec(), {
        questions: { virtualSubjects: 60, seed: 3 },
        trainingSubjects: t.view.train,
      });
      expect(result.answers.map((a) => [a.scenario, a.target, a.regimen, a.dose, a.fraction])).toEqual(BEFORE[mode]);
      expect(result.answers.every((a) => a.unit === 'mg')).toBe(true);
      expect(result.question).toContain('below 3.3 ng/mL throughout');
      expect(result.plans.map((p) => p.interval)).toEqual([24, 168]);
    });
  }
});

describe('what a network refuses', () => {
  const withRegimen = (regimen: NonNullable<StudySpec['questions']>['regimens'][number]): StudySpec => {
    const spec = estDataSpec();
    return { ...spec, questions: { ...spec.questions!, regimens: [regimen] } };
  };

  it('an infusion regimen, saying why and what to do', async () => {
    const t = tiny.cascade!;
    const spec = withRegimen({ name: '1-h infusion daily', interval: 24, route: 'iv', duration: 1, step: 0.5 });
    await expect(answerNetworkStudyQuestions(t.model, t.view.development, spec, { trainingSubjects: t.view.train })).rejects.toThrow(
      /regimen "1-h infusion daily": it is an infusion .* no infusion input\. Answer it with the population model/,
    );
  });

  it("a regimen of another route than the study's", async () => {
    const t = tiny.cascade!;
    const spec = withRegimen({ name: 'IV daily', interval: 24, route: 'iv', step: 0.5 });
    await expect(answerNetworkStudyQuestions(t.model, t.view.development, spec, { trainingSubjects: t.view.train })).rejects.toThrow(
      /learned from the study's oral doses only/,
    );
  });

  it('a spec without questions', async () => {
    const t = tiny.cascade!;
    const { questions: _none, ...spec } = estDataSpec();
    await expect(answerNetworkStudyQuestions(t.model, t.view.development, spec, { trainingSubjects: t.view.train })).rejects.toThrow(
      /asks no dose questions/,
    );
  });
});
