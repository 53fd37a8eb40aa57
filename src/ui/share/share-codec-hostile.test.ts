import * as lzModule from 'lz-string';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_CONFIG } from '../../model/training-config';
import {
  bombFragment,
  fragmentOfJson,
  hostileBombLinks,
  largestAcceptedLink,
  largestBomb,
  longestShareStates,
  repetitionBomb,
  stateOfLength,
} from '../../testing/hostile-share-links';
import { decodeShareState, encodeShareState, MAX_SHARE_FRAGMENT_LENGTH, MAX_SHARE_JSON_LENGTH } from './share-codec';
import { DAMAGED_MESSAGE, SHARE_VERSION } from './share-state';

const { compressToEncodedURIComponent, decompressFromEncodedURIComponent } =
  (lzModule as { default?: typeof lzModule }).default ?? lzModule;

const prototypeBefore = Object.getOwnPropertyNames(Object.prototype);

function refusal(fragment: string): string {
  const result = decodeShareState(fragment);
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.message;
}

afterAll(() => {
  expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('hostile share links', () => {
  it('the bombs are what they claim: lz-string decodes each to one repeated character, as its own compressor writes it', () => {
    for (const codes of [1, 2, 3, 7, 50, 300]) {
      const bomb = repetitionBomb(codes);
      const text = 'a'.repeat(bomb.decompressedLength);
      expect(decompressFromEncodedURIComponent(bomb.payload), `codes ${codes}`).toBe(text);
      expect(bomb.payload, `codes ${codes}`).toBe(compressToEncodedURIComponent(text));
    }
    const atLimit = largestBomb(MAX_SHARE_FRAGMENT_LENGTH);
    expect(bombFragment(atLimit).length).toBeLessThanOrEqual(MAX_SHARE_FRAGMENT_LENGTH);
    expect(decompressFromEncodedURIComponent(atLimit.payload)?.length).toBe(atLimit.decompressedLength);
    expect(atLimit.decompressedLength).toBeGreaterThan(100 * MAX_SHARE_JSON_LENGTH);
  });

  it('the longest link the app makes fits both limits with room, and opens', () => {
    for (const state of longestShareStates(50)) {
      const fragment = encodeShareState(state);
      expect(fragment.length).toBeLessThan(MAX_SHARE_FRAGMENT_LENGTH / 2);
      expect(JSON.stringify(state).length).toBeLessThan(MAX_SHARE_JSON_LENGTH / 2);
      expect(decodeShareState(`#${fragment}`)).toEqual({ ok: true, state });
    }
  });

  it('the largest link the app accepts fills the fragment limit with a valid state, and opens with the longest settings', () => {
    const link = largestAcceptedLink();
    expect(link.fragment.length - 1).toBeLessThanOrEqual(MAX_SHARE_FRAGMENT_LENGTH);
    expect(link.fragment.length - 1).toBeGreaterThan(MAX_SHARE_FRAGMENT_LENGTH - 8);
    expect(link.json.length).toBeLessThanOrEqual(MAX_SHARE_JSON_LENGTH);
    expect(decodeShareState(link.fragment)).toEqual({ ok: true, state: link.state });
    const [longest] = longestShareStates(1);
    expect(link.state).toEqual({ ...longest, model: { ...longest.model, dropout: link.state.model?.dropout } });
  });

  it('refuse over-long links and decompression bombs at and beyond the limits as too large', () => {
    for (const link of hostileBombLinks()) expect(refusal(link.fragment), link.name).toMatch(link.expected);
    expect(refusal(`#s=${'A'.repeat(MAX_SHARE_FRAGMENT_LENGTH)}.00000000`)).toMatch(/\(it is larger than any link this app makes\)$/);
  });

  it('read a state of exactly the JSON limit and refuse one character more as too large', () => {
    const atLimit = stateOfLength(MAX_SHARE_JSON_LENGTH);
    expect(atLimit.length).toBe(MAX_SHARE_JSON_LENGTH);
    // Within the limits the state is read, and its field x refused like any unknown field.
    expect(refusal(fragmentOfJson(atLimit))).toBe(`${DAMAGED_MESSAGE} (it holds a field that this version does not know)`);
    expect(refusal(fragmentOfJson(stateOfLength(MAX_SHARE_JSON_LENGTH + 1)))).toBe(
      `${DAMAGED_MESSAGE} (it is larger than any link this app makes)`,
    );
  });

  it('refuse a valid payload with a wrong or missing check as damaged', () => {
    const fragment = encodeShareState({ v: SHARE_VERSION, data: 'demo', view: 'model', model: DEFAULT_TRAINING_CONFIG });
    const [payload, check] = fragment.split('.');
    const other = check.replace(/./, (c) => (c === '0' ? '1' : '0'));
    expect(refusal(`#${payload}.${other}`)).toBe(DAMAGED_MESSAGE);
    expect(refusal(`#${payload}`)).toBe(DAMAGED_MESSAGE);
    expect(refusal(`#${payload}.${check.toUpperCase()}x`)).toBe(DAMAGED_MESSAGE);
  });

  it("count unknown fields and never show their names (the link author's text) in the app's message", () => {
    const names = ['<img src=x onerror=alert(1)>', 'Your data was sent to us. Call +1 555 0100 now', 'z'.repeat(2000)];
    const one = refusal(fragmentOfJson(JSON.stringify({ v: 1, data: 'demo', view: 'data', [names[0]]: 1 })));
    expect(one).toBe(`${DAMAGED_MESSAGE} (it holds a field that this version does not know)`);
    const state: Record<string, unknown> = { v: 1, data: 'demo', view: 'data' };
    for (const name of names) state[name] = 'x';
    const three = refusal(fragmentOfJson(JSON.stringify(state)));
    expect(three).toBe(`${DAMAGED_MESSAGE} (it holds 3 fields that this version does not know)`);
    for (const name of names) expect(three).not.toContain(name.slice(0, 12));
  });

  it('refuse prototype keys anywhere in the state, leaving Object.prototype untouched', () => {
    const model = JSON.stringify(DEFAULT_TRAINING_CONFIG).slice(1, -1);
    const cases = [
      ['__proto__', '{"v":1,"data":"demo","view":"data","__proto__":{"polluted":"yes"}}'],
      ['__proto__', `{"v":1,"data":"demo","view":"model","model":{"__proto__":{"polluted":"yes"},${model}}}`],
      ['constructor', `{"v":1,"data":"demo","view":"model","model":{${model},"constructor":{"prototype":{"polluted":"yes"}}}}`],
      ['prototype', '{"v":1,"data":"demo","view":"doses","doses":{"prototype":{"polluted":"yes"}}}'],
    ] as const;
    for (const [key, json] of cases) {
      expect(refusal(fragmentOfJson(json)), json).toBe(`${DAMAGED_MESSAGE} (it holds a field named “${key}”, which no link has)`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuse payloads that are not a JSON state', () => {
    for (const json of ['hello', '{', '[1,2]', 'null', '"text"', '1e999', '{"v":1,"data":"demo","view":"data"', '']) {
      expect(refusal(fragmentOfJson(json)).startsWith(DAMAGED_MESSAGE), json).toBe(true);
    }
    const deep = `{"v":1,"data":"demo","view":"model","model":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    expect(deep.length).toBeLessThan(MAX_SHARE_JSON_LENGTH);
    expect(refusal(fragmentOfJson(deep))).toBe(`${DAMAGED_MESSAGE} (its settings are nested deeper than in any link)`);
  });
});
