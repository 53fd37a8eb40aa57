import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../data/splits/prng';
import {
  MODE_LABELS,
  TRAINING_HEADS,
  TRAINING_SPLITS,
  type TrainingConfig,
  DEFAULT_TRAINING_CONFIG,
  trainingConfigProblems,
} from '../../model/training-config';
import { BACKEND_REQUESTS } from '../../platform/compute-backend';
import { ENCODER_NAMES } from '../../quantum/resources/architecture';
import { MAX_LAYERS, MAX_QUBITS } from '../../quantum/template';
import { estDataPreset } from '../../study/estdata-preset';
import { DEFAULT_MODELS, type DoseFormValues, questionsDraftOf } from '../doses/dose-form-model';
import { largestAcceptedLink, longestShareStates } from '../../testing/hostile-share-links';
import {
  decodeShareState,
  encodeShareState,
  isShareFragment,
  MAX_SHARE_FRAGMENT_LENGTH,
  MAX_SHARE_JSON_LENGTH,
  shareUrl,
} from './share-codec';
import {
  DAMAGED_MESSAGE,
  MAX_SHARED_DOSES_LENGTH,
  SHARE_VERSION,
  SHARE_VIEWS,
  type SharedDoseSettings,
  type ShareState,
  shareStateOf,
} from './share-state';

type Random = () => number;
const int = (r: Random, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));
const oneOf = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)];
const maybe = <T>(r: Random, make: () => T): T | undefined => (r() < 0.7 ? make() : undefined);

/** A random valid model config: its network sizes together within the parameter budget (the hidden width halved until they are). */
function randomModel(r: Random): TrainingConfig {
  const config: { -readonly [K in keyof TrainingConfig]: TrainingConfig[K] } = {
    head: oneOf(r, TRAINING_HEADS),
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

/** The demo study's questions with random numbers in range, and random run options. */
function randomDoses(r: Random): SharedDoseSettings {
  const preset = estDataPreset().questions!;
  const low = int(r, 20, 80);
  return {
    questions: {
      ...preset,
      criterion: {
        rule: 'below',
        threshold: oneOf(r, [0.5, 3.3, 10, 1000]),
        window: oneOf(r, ['throughout', 'trough', 'average'] as const),
      },
      targets: [int(r, 51, 100) / 100, int(r, 1, 50) / 100],
      regimens: preset.regimens.map((g) => ({ ...g, step: oneOf(r, [0.1, 0.25, 0.5, 10]), max: oneOf(r, [30, 300]) })),
      scenarios: preset.scenarios.map((sc) => ({
        name: sc.name,
        covariates: { BW: { uniform: [low, low + int(r, 1, 90)] }, COMED: { share: int(r, 0, 100) / 100 } },
      })),
      virtualSubjects: int(r, 10, 100_000),
      seed: int(r, 0, 2 ** 32 - 1),
    },
    run: { method: oneOf(r, ['bisection', 'mcts'] as const), uncertaintyReplicates: int(r, 0, 200), vpcReplicates: int(r, 0, 1000) },
  };
}

/** The Doses form of the demo study. */
function demoForm(change: Partial<DoseFormValues> = {}): DoseFormValues {
  return { ...DEFAULT_MODELS, questions: questionsDraftOf(estDataPreset().questions!, ['BW', 'COMED', 'DOSE']), ...change };
}

function randomState(r: Random): ShareState {
  const model = maybe(r, () => randomModel(r));
  const doses = maybe(r, () => randomDoses(r));
  return { v: SHARE_VERSION, data: 'demo', view: oneOf(r, SHARE_VIEWS), ...(model ? { model } : {}), ...(doses ? { doses } : {}) };
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
    expect(decodeShareState('#demo')).toEqual({ ok: true, state: { v: SHARE_VERSION, data: 'demo', view: 'data' } });
    expect(isShareFragment('#demo')).toBe(true);
    expect(isShareFragment('#s=abc')).toBe(true);
    expect(isShareFragment('')).toBe(false);
    expect(isShareFragment('#results')).toBe(false);
  });

  it('fail every truncation of a valid link with the damaged-link message, never throwing', () => {
    const r = mulberry32(11);
    for (let i = 0; i < 20; i++) {
      const fragment = encodeShareState({ v: SHARE_VERSION, data: 'demo', view: 'model', model: randomModel(r), doses: randomDoses(r) });
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
    const result = decodeShareState(fragmentOf({ v: 3, data: 'demo', view: 'data', somethingNew: true }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^This link was made by a newer version of QPKPD Studio \(link version 3/);
    for (const v of [0, 1.5, '1', null]) expect(decodeShareState(fragmentOf({ v, data: 'demo', view: 'data' })).ok, String(v)).toBe(false);
  });

  it('refuse unknown keys, other data, wrong types and values the forms refuse', () => {
    const model = { ...DEFAULT_TRAINING_CONFIG };
    const doses = shareStateOf('data', model, demoForm()).state.doses!;
    const v = SHARE_VERSION;
    const cases: [string, unknown][] = [
      ['unknown top-level key', { v, data: 'demo', view: 'data', extra: 1 }],
      ['user data', { v, data: 'user', view: 'data' }],
      ['unknown view', { v, data: 'demo', view: 'settings' }],
      ['unknown model key', { v, data: 'demo', view: 'model', model: { ...model, extra: 1 } }],
      ['missing model key', { v, data: 'demo', view: 'model', model: { ...model, seed: undefined } }],
      ['number as text', { v, data: 'demo', view: 'model', model: { ...model, dropout: '0.1' } }],
      ['out of range', { v, data: 'demo', view: 'model', model: { ...model, qubits: MAX_QUBITS + 1 } }],
      ['unknown encoder', { v, data: 'demo', view: 'model', model: { ...model, encoder: 'gpt' } }],
      ['unknown head', { v, data: 'demo', view: 'model', model: { ...model, head: 'ode' } }],
      ['saved-model ids', { v, data: 'demo', view: 'doses', doses: { ...doses, networkIds: ['a'] } }],
      ['a target out of range', { v, data: 'demo', view: 'doses', doses: { ...doses, questions: { ...doses.questions, targets: [1.5] } } }],
      [
        'a misspelt question field',
        { v, data: 'demo', view: 'doses', doses: { ...doses, questions: { ...doses.questions, treshold: 3 } } },
      ],
      ['unknown method', { v, data: 'demo', view: 'doses', doses: { ...doses, run: { ...doses.run, method: 'grid' } } }],
      ['a version-1 dose setting out of range', { v: 1, data: 'demo', view: 'doses', doses: { ...V1_DOSES, nVirtual: 5 } }],
      ['not an object', [1, 2]],
    ];
    for (const [name, payload] of cases) {
      const result = decodeShareState(fragmentOf(payload));
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.message.startsWith(DAMAGED_MESSAGE), name).toBe(true);
    }
  });

  it('read a link made before the mechanistic head as the direct head', () => {
    const { head, ...older } = { ...DEFAULT_TRAINING_CONFIG, encoder: 'mlp' as const };
    expect(head).toBe('direct');
    const result = decodeShareState(fragmentOf({ v: SHARE_VERSION, data: 'demo', view: 'model', model: older }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.state.model).toEqual({ ...older, head: 'direct' });
    const hybrid = decodeShareState(
      fragmentOf({ v: SHARE_VERSION, data: 'demo', view: 'model', model: { ...older, head: 'mechanistic' } }),
    );
    expect(hybrid.ok && hybrid.state.model?.head).toBe('mechanistic');
  });

  it('make the current analysis a link, leaving out a form with values out of range and never the chosen models', () => {
    const form = demoForm({ networkIds: ['secret-id'], ensemble: true });
    form.questions = { ...form.questions, virtualSubjects: '200' };
    const { state, leftOut } = shareStateOf('doses', { ...DEFAULT_TRAINING_CONFIG, epochs: Number.NaN }, form);
    expect(leftOut).toEqual(['model']);
    expect(state.model).toBeUndefined();
    expect(state.doses?.questions.virtualSubjects).toBe(200);
    expect(state.doses?.questions.scenarios.map((s) => s.name)).toEqual(['base', 'bw70_140', 'no_comed']);
    expect(JSON.stringify(state)).not.toContain('secret-id');
    const url = shareUrl(state, { origin: 'https://example.org', pathname: '/studio/' });
    expect(url.startsWith('https://example.org/studio/#s=')).toBe(true);
    expect(decodeShareState(new URL(url).hash)).toEqual({ ok: true, state });

    const invalid = demoForm();
    invalid.questions = { ...invalid.questions, targets: ['150'] };
    const leftOutInvalid = shareStateOf('doses', DEFAULT_TRAINING_CONFIG, invalid);
    expect([leftOutInvalid.leftOut, leftOutInvalid.why]).toEqual([['doses'], { doses: 'hold values out of range' }]);
    expect(shareStateOf('doses', DEFAULT_TRAINING_CONFIG, null)).toEqual({
      state: { v: SHARE_VERSION, data: 'demo', view: 'doses', model: DEFAULT_TRAINING_CONFIG },
      leftOut: [],
      why: {},
    });
  });

  it('leave out dose settings too long for a link (every list at its longest), and the longest accepted link still fits', () => {
    const form = demoForm();
    const regimen = form.questions.regimens[0];
    const scenario = form.questions.scenarios[0];
    form.questions = {
      ...form.questions,
      regimens: Array.from({ length: 12 }, (_, i) => ({ ...regimen, key: 1000 + i, name: `${'r'.repeat(55)} ${i}` })),
      scenarios: Array.from({ length: 12 }, (_, i) => ({ ...scenario, key: 2000 + i, name: `${'s'.repeat(55)} ${i}` })),
    };
    const { state, leftOut, why } = shareStateOf('doses', DEFAULT_TRAINING_CONFIG, form);
    expect(leftOut).toEqual(['doses']);
    expect(why.doses).toMatch(/longer than a link can carry/);
    expect(state.doses).toBeUndefined();
    expect(decodeShareState(`#${encodeShareState(state)}`)).toEqual({ ok: true, state });
    const longest = longestShareStates(3);
    for (const s of longest) {
      expect(JSON.stringify(s.doses).length).toBeLessThanOrEqual(MAX_SHARED_DOSES_LENGTH);
      const fragment = encodeShareState(s);
      expect(fragment.length).toBeLessThanOrEqual(MAX_SHARE_FRAGMENT_LENGTH);
      expect(decodeShareState(`#${fragment}`)).toEqual({ ok: true, state: s });
    }
    const largest = largestAcceptedLink();
    expect(largest.fragment.length - 1).toBeLessThanOrEqual(MAX_SHARE_FRAGMENT_LENGTH);
    expect(largest.json.length).toBeLessThanOrEqual(MAX_SHARE_JSON_LENGTH);
    expect(decodeShareState(largest.fragment).ok).toBe(true);
  });

  it('read a version-1 link (the EstData-only dose numbers) into the demo study’s questions', () => {
    const result = decodeShareState(
      fragmentOf({ v: 1, data: 'demo', view: 'doses', doses: { ...V1_DOSES, nVirtual: 200, weeklyStep: 10 } }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.state.v).toBe(SHARE_VERSION);
    const q = result.state.doses!.questions;
    expect(q.virtualSubjects).toBe(200);
    expect(q.criterion).toEqual({ rule: 'below', threshold: 3.3, window: 'throughout' });
    expect(q.targets).toEqual([0.9, 0.75]);
    expect(q.regimens.map((g) => [g.name, g.step, g.max])).toEqual([
      ['daily', 0.5, 30],
      ['weekly', 10, 600],
    ]);
    expect(q.scenarios).toEqual(estDataPreset().questions!.scenarios);
    expect(result.state.doses!.run).toEqual({ uncertaintyReplicates: 20, method: 'mcts', vpcReplicates: 100 });
  });
});

/** A version-1 link's dose settings (as the app wrote them before the study's questions). */
const V1_DOSES = {
  nVirtual: 1000,
  seed: 1,
  threshold: 3.3,
  targetHigh: 90,
  targetLow: 75,
  dailyStep: 0.5,
  weeklyStep: 5,
  gridStep: 0.25,
  method: 'mcts',
  uncertaintyReplicates: 20,
  vpcReplicates: 100,
};
