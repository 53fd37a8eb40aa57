import { describe, expect, it } from 'vitest';
import type { ClaimsRow } from './claims';
import { loadRealStudy } from '../../data/features/test-support';
import { experimentEndpoint } from '../report/labels';
import { judgeClaims } from './verdicts';

const row = (overrides: Partial<ClaimsRow>): ClaimsRow => ({
  encoder: 'qnn-resmlp-moe',
  quantumBlocks: 'circuit',
  label: 'QNN-ResMLP-MoE',
  parameters: { classical: 1000, quantum: 72, total: 1072 },
  bestValLoss: 0.1,
  bestEpoch: 40,
  epochsRun: 70,
  epochsToControlBest: 30,
  inferenceMicroseconds: 50,
  validation: { pk: { rmseZ: 0.5, rmse: 1 }, pd: { rmseZ: 0.3, rmse: 1 } },
  test: { pk: { rmseZ: 0.5, rmse: 1 }, pd: { rmseZ: 0.3, rmse: 0.98 } },
  trainingSeconds: 10,
  ...overrides,
});

const control = row({
  quantumBlocks: 'width-matched-control',
  label: 'QNN-ResMLP-MoE control',
  parameters: { classical: 1288, quantum: 0, total: 1288 },
  bestValLoss: 0.09,
  bestEpoch: 50,
  epochsToControlBest: 50,
  inferenceMicroseconds: 5,
});

describe('claim verdicts', () => {
  it('say when each claim holds and when the quantum model loses', () => {
    const quantum = row({ test: { pk: null, pd: { rmseZ: 0.35, rmse: 1.1 } } });
    const [parameters, convergence, inference, generalisation] = judgeClaims(quantum, {
      ...control,
      test: { pk: null, pd: { rmseZ: 0.3, rmse: 0.98 } },
    });
    expect(parameters).toMatchObject({ claim: 'fewer-parameters', holds: true });
    expect(parameters.text).toContain('216 fewer (17 %)');
    expect(convergence).toMatchObject({ claim: 'faster-convergence', holds: true });
    expect(convergence.text).toContain('at epoch 30');
    expect(inference).toMatchObject({ claim: 'faster-inference', holds: false });
    expect(inference.text).toContain('10× slower');
    expect(inference.text).toContain('the quantum model loses');
    expect(generalisation).toMatchObject({ claim: 'better-generalisation', holds: false });
    expect(generalisation.text).toContain('0.35 z (1.1 ng/mL)');
    expect(generalisation.text).toContain('loses');
  });

  it('a quantum model that never reaches the control’s best loss, or has more parameters, does not support the claims', () => {
    const quantum = row({
      epochsToControlBest: null,
      bestValLoss: 0.12,
      parameters: { classical: 1300, quantum: 72, total: 1372 },
      inferenceMicroseconds: 2,
    });
    const [parameters, convergence, inference] = judgeClaims(quantum, control);
    expect(parameters.holds).toBe(false);
    expect(parameters.text).toContain('84 more');
    expect(convergence.holds).toBe(false);
    expect(convergence.text).toContain('never reached');
    expect(convergence.text).toContain('70 epochs');
    expect(inference.holds).toBe(true);
    expect(inference.text).toContain('2.5× faster');
  });

  it('inference times within 5 % of each other are a tie', () => {
    const inference = judgeClaims(row({ inferenceMicroseconds: 5.1 }), control)[2];
    expect(inference.text).toContain('µs per observation');
    expect(judgeClaims(row({ inferenceMicroseconds: 5.1 }), control, undefined, 'subject')[2].text).toContain('µs per subject');
    expect(judgeClaims(row({ epochsToControlBest: null, epochsRun: 1 }), control)[1].text).toContain('in its 1 epoch (');
    expect(inference.holds).toBe(false);
    expect(inference.text).toContain('the same within 5 %');
  });

  it('cannot judge generalisation without test PD observations', () => {
    const verdicts = judgeClaims(row({ test: { pk: null, pd: null } }), control);
    expect(verdicts[3]).toMatchObject({ holds: null });
  });

  it('judge generalisation on the study’s endpoint, named and in its unit: PK of a study without a response, in mg/L', () => {
    const quantum = row({ test: { pk: { rmseZ: 0.4, rmse: 1.2 }, pd: null } });
    const pkControl = { ...control, test: { pk: { rmseZ: 0.5, rmse: 1.5 }, pd: null } };
    const theophylline = experimentEndpoint(loadRealStudy('theo_sd', 'theophylline').spec);
    const generalisation = judgeClaims(quantum, pkControl, theophylline)[3];
    expect(generalisation.holds).toBe(true);
    expect(generalisation.text).toBe(
      'Test PK (Theophylline) RMSE 0.4 z (1.2 mg/L) for QNN-ResMLP-MoE, 0.5 z (1.5 mg/L) for its control. The claim holds on this split.',
    );
    const verdicts = judgeClaims(quantum, pkControl, theophylline).map((v) => v.text);
    expect(verdicts.join(' ')).not.toContain('ng/mL');
    expect(verdicts.join(' ')).not.toContain('PD');
  });
});
