import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../data/splits/prng';
import {
  MODE_LABELS,
  TRAINING_SPLITS,
  type TrainingConfig,
  DEFAULT_TRAINING_CONFIG,
  trainingConfigProblems,
} from '../../model/training-config';
import { BACKEND_REQUESTS } from '../../platform/compute-backend';
import { ENCODER_NAMES } from '../../quantum/resources/architecture';
import { MAX_LAYERS, MAX_QUBITS } from '../../quantum/template';
import { DEFAULT_DOSE_FORM } from '../doses/dose-settings';
import { decodeShareState, encodeShareState, isShareFragment, shareUrl } from './share-codec';
import { DAMAGED_MESSAGE, SHARE_VIEWS, type SharedDoseSettings, type ShareState, shareStateOf } from './share-state';

type Random = () => number;
const int = (r: Random, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));
const oneOf = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)];
const maybe = <T>(r: Random, make: () => T): T | undefined => (r() < 0.7 ? make() : undefined);

/** A random valid model config: its network sizes together within the parameter budget (the hidden width halved until they are). */
function randomModel(r: Random): TrainingConfig {
  const config: { -readonly [K in keyof TrainingConfig]: TrainingConfig[K] } = {
    encoder: oneOf(r, ENCODER_NAMES),
    mode: oneOf(r, Object.keys(MODE_LABELS) as TrainingConfig['mode'][]),
    qubits: int(r, 1, MAX_QUBITS),
    layers: int(r, 1, MAX_LAYERS),
    epochs: int(r, 1, 10_000),
    patience: int(r, 1, 10_000),
    seed: int(r, 0, 2 ** 32 - 1),
    split: oneOf(r, TRAINING_SPLITS),
    backend: oneOf(r, BACKEND_REQUESTS),
    hidden: int(r, 2, 1024),
    depth: int(r, 1, 16),
    experts: int(r, 2, 32),
    dropout: Math.round(r() * 90) / 100,
    learningRate: oneOf(r, [1e-4, 5e-4, 1e-3, 0.01, 1]),
    batchSize: int(r, 1, 1_000_000),
    mcSamples: oneOf(r, [0, int(r, 2, 1000)]),
    classification: r() < 0.5,
  };
  while (trainingConfigProblems(config).hidden !== undefined) config.hidden = Math.max(2, Math.floor(config.hidden / 2));
  return config;
}

function randomDoses(r: Random): SharedDoseSettings {
  const targetHigh = int(r, 51, 100);
  return {
    nVirtual: int(r, 10, 20_000),
    seed: int(r, 0, 2 ** 31 - 1),
    threshold: oneOf(r, [0.5, 3.3, 10, 1000]),
    targetHigh,
    targetLow: int(r, 1, 50),
    dailyStep: oneOf(r, [0.1, 0.25, 0.5, 10]),
    weeklyStep: oneOf(r, [1, 2.5, 5, 100]),
    gridStep: oneOf(r, [0.05, 0.25, 0.5]),
    method: oneOf(r, ['bisection', 'mcts'] as const),
    uncertaintyReplicates: int(r, 0, 200),
    vpcReplicates: int(r, 0, 1000),
  };
}

function randomState(r: Random): ShareState {
  const model = maybe(r, () => randomModel(r));
  const doses = maybe(r, () => randomDoses(r));
  return { v: 1, data: 'demo', view: oneOf(r, SHARE_VIEWS), ...(model ? { model } : {}), ...(doses ? { doses } : {}) };
}

/** A well-formed link around any payload (as a newer or a tampered version would make it). */
const fragmentOf = (payload: unknown): string => `#${encodeShareState(payload as ShareState)}`;

describe('share links', () => {
  it('round-trip random valid states', () => {
    const r = mulberry32(7);
    for (let i = 0; i < 300; i++) {
      const state = randomState(r);
      const fragment = encodeShareState(state);
      expect(fragment).toMatch(/^s=[A-Za-z0-9+$-]+\.[0-9a-f]{8}$/);
      expect(decodeShareState(`#${fragment}`)).toEqual({ ok: true, state });
    }
  });

  it('read #demo as the demo data on the Data tab and leave other fragments alone', () => {
    expect(decodeShareState('#demo')).toEqual({ ok: true, state: { v: 1, data: 'demo', view: 'data' } });
    expect(isShareFragment('#demo')).toBe(true);
    expect(isShareFragment('#s=abc')).toBe(true);
    expect(isShareFragment('')).toBe(false);
    expect(isShareFragment('#results')).toBe(false);
  });

  it('fail every truncation of a valid link with the damaged-link message, never throwing', () => {
    const r = mulberry32(11);
    for (let i = 0; i < 20; i++) {
      const fragment = encodeShareState({ v: 1, data: 'demo', view: 'model', model: randomModel(r), doses: randomDoses(r) });
      for (let end = 0; end < fragment.length; end++) {
        const result = decodeShareState(fragment.slice(0, end));
        expect(result.ok, fragment.slice(0, end)).toBe(false);
        if (!result.ok) expect(result.message.startsWith(DAMAGED_MESSAGE)).toBe(true);
      }
    }
  });

  it('fail random garbage and every one-character change of a valid link with the damaged-link message', () => {
    const r = mulberry32(13);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$%#=&{}"';
    for (let i = 0; i < 500; i++) {
      const garbage = Array.from({ length: int(r, 0, 80) }, () => oneOf(r, [...alphabet])).join('');
      const result = decodeShareState(`#s=${garbage}`);
      expect(result.ok, garbage).toBe(false);
      if (!result.ok) expect(result.message.startsWith(DAMAGED_MESSAGE)).toBe(true);
    }
    for (let i = 0; i < 500; i++) {
      const fragment = encodeShareState(randomState(r));
      const at = int(r, 2, fragment.length - 1);
      const garbled = fragment.slice(0, at) + oneOf(r, [...alphabet]) + fragment.slice(at + 1);
      const result = decodeShareState(garbled);
      expect(result.ok, garbled).toBe(garbled === fragment);
      if (!result.ok) expect(result.message).toBe(DAMAGED_MESSAGE);
    }
  });

  it('tell a link from a newer version apart from a damaged one', () => {
    const result = decodeShareState(fragmentOf({ v: 2, data: 'demo', view: 'data', somethingNew: true }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^This link was made by a newer version of QPKPD Studio \(link version 2/);
    for (const v of [0, 1.5, '1', null]) expect(decodeShareState(fragmentOf({ v, data: 'demo', view: 'data' })).ok, String(v)).toBe(false);
  });

  it('refuse unknown keys, other data, wrong types and values the forms refuse', () => {
    const model = { ...DEFAULT_TRAINING_CONFIG };
    const doses = shareStateOf('data', model, DEFAULT_DOSE_FORM).state.doses;
    const cases: [string, unknown][] = [
      ['unknown top-level key', { v: 1, data: 'demo', view: 'data', extra: 1 }],
      ['user data', { v: 1, data: 'user', view: 'data' }],
      ['unknown view', { v: 1, data: 'demo', view: 'settings' }],
      ['unknown model key', { v: 1, data: 'demo', view: 'model', model: { ...model, extra: 1 } }],
      ['missing model key', { v: 1, data: 'demo', view: 'model', model: { ...model, seed: undefined } }],
      ['number as text', { v: 1, data: 'demo', view: 'model', model: { ...model, dropout: '0.1' } }],
      ['out of range', { v: 1, data: 'demo', view: 'model', model: { ...model, qubits: MAX_QUBITS + 1 } }],
      ['unknown encoder', { v: 1, data: 'demo', view: 'model', model: { ...model, encoder: 'gpt' } }],
      ['saved-model ids', { v: 1, data: 'demo', view: 'doses', doses: { ...doses, networkIds: ['a'] } }],
      ['equal targets', { v: 1, data: 'demo', view: 'doses', doses: { ...doses, targetLow: 90 } }],
      ['unknown method', { v: 1, data: 'demo', view: 'doses', doses: { ...doses, method: 'grid' } }],
      ['not an object', [1, 2]],
    ];
    for (const [name, payload] of cases) {
      const result = decodeShareState(fragmentOf(payload));
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.message.startsWith(DAMAGED_MESSAGE), name).toBe(true);
    }
  });

  it('make the current analysis a link, leaving out a form with values out of range and never the chosen models', () => {
    const form = { ...DEFAULT_DOSE_FORM, nVirtual: 200, networkIds: ['secret-id'], ensemble: true };
    const { state, leftOut } = shareStateOf('doses', { ...DEFAULT_TRAINING_CONFIG, epochs: Number.NaN }, form);
    expect(leftOut).toEqual(['model']);
    expect(state.model).toBeUndefined();
    expect(state.doses?.nVirtual).toBe(200);
    expect(JSON.stringify(state)).not.toContain('secret-id');
    const url = shareUrl(state, { origin: 'https://example.org', pathname: '/studio/' });
    expect(url.startsWith('https://example.org/studio/#s=')).toBe(true);
    expect(decodeShareState(new URL(url).hash)).toEqual({ ok: true, state });
  });
});
