import { describe, expect, it } from 'vitest';
import { QuantumShapeError } from '../errors';
import {
  architecture,
  CLASSICAL_COUNTERPART,
  DEFAULT_ARCHITECTURE,
  ENCODER_LABELS,
  ENCODER_NAMES,
  isEncoderName,
  isQuantumEncoder,
} from './architecture';

describe('architecture constants', () => {
  it('holds the reference defaults', () => {
    expect(DEFAULT_ARCHITECTURE).toMatchObject({
      nInputs: 21,
      hidden: 64,
      depth: 2,
      experts: 4,
      topK: 2,
      residualExpansion: 4,
      expertExpansion: 2,
      headHidden: 32,
      outputs: 1,
      nQubits: 8,
      nLayers: 3,
      readoutsPerQubit: 4,
      weightsPerQubitLayer: 3,
      dropout: 0.3,
      alphaInit: 0.5,
    });
    expect(Object.isFrozen(DEFAULT_ARCHITECTURE)).toBe(true);
  });

  it('names seven encoders, three of them quantum', () => {
    expect(ENCODER_NAMES).toHaveLength(7);
    expect(ENCODER_NAMES.map((e) => ENCODER_LABELS[e])).toEqual([
      'MLP',
      'ResMLP',
      'MoE',
      'ResMLP-MoE',
      'QNN-MLP',
      'QNN-ResMLP-MoE',
      'QMoE-ResMLP',
    ]);
    expect(ENCODER_NAMES.filter(isQuantumEncoder)).toEqual(['qnn-mlp', 'qnn-resmlp-moe', 'qmoe-resmlp']);
    expect(CLASSICAL_COUNTERPART['qmoe-resmlp']).toBe('resmlp-moe');
    expect([isEncoderName('moe'), isEncoderName('MoE'), isEncoderName(3)]).toEqual([true, false, false]);
  });

  it('applies overrides and checks them', () => {
    expect(architecture({ nInputs: 30, nQubits: 2 })).toMatchObject({ nInputs: 30, nQubits: 2, hidden: 64 });
    expect(() => architecture({ hidden: 0 })).toThrow(QuantumShapeError);
    expect(() => architecture({ depth: 1.5 })).toThrow(/depth must be a positive integer, got 1\.5/);
    expect(() => architecture({ nQubits: 10 })).toThrow(/nQubits must be an integer in 1\.\.9, got 10/);
    expect(() => architecture({ nLayers: 7 })).toThrow(/nLayers must be an integer in 1\.\.6/);
    expect(() => architecture({ topK: 5 })).toThrow(/top-k \(5\) cannot exceed the number of experts \(4\)/);
    expect(() => architecture({ dropout: 1 })).toThrow(/dropout/);
  });
});
