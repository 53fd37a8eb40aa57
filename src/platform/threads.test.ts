import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_DEFAULT_POOL_WORKERS,
  MAX_DEFAULT_THREADS,
  MAX_THREADS,
  parseThreadSetting,
  poolSize,
  poolWorkerName,
  resolvePoolSize,
  resolveThreadCount,
  storedThreadSetting,
  storeThreadSetting,
  THREADS_STORAGE_KEY,
  threadSetting,
  threadSettingFromUrl,
  threadCount,
  threadSettingError,
} from './threads';

describe('thread count', () => {
  it('is 1 on a page that is not cross-origin isolated, whatever the setting or the cores', () => {
    expect(resolveThreadCount({ isolated: false, cores: 16, setting: 8 })).toBe(1);
    expect(resolveThreadCount({ isolated: false, cores: 16, setting: undefined })).toBe(1);
  });

  it('isolated: the setting, else all the cores the browser reports, capped; 1 where the cores are unknown', () => {
    expect(resolveThreadCount({ isolated: true, cores: 8, setting: 3 })).toBe(3);
    expect(resolveThreadCount({ isolated: true, cores: 2, setting: 6 })).toBe(6);
    expect(resolveThreadCount({ isolated: true, cores: 8, setting: undefined })).toBe(8);
    expect(resolveThreadCount({ isolated: true, cores: 128, setting: undefined })).toBe(MAX_DEFAULT_THREADS);
    expect(resolveThreadCount({ isolated: true, cores: 0, setting: undefined })).toBe(1);
    expect(resolveThreadCount({ isolated: true, cores: undefined, setting: undefined })).toBe(1);
  });

  it('a setting is a whole number from 1 to MAX_THREADS; anything else is the default', () => {
    expect(parseThreadSetting('1')).toBe(1);
    expect(parseThreadSetting(' 12 ')).toBe(12);
    expect(parseThreadSetting(String(MAX_THREADS))).toBe(MAX_THREADS);
    for (const text of ['0', '-2', '1.5', 'auto', '', '4x', String(MAX_THREADS + 1), null, undefined])
      expect(parseThreadSetting(text)).toBeUndefined();
    expect(threadSettingError('4')).toBeNull();
    expect(threadSettingError('0')).toBe(`--threads must be a whole number from 1 to ${MAX_THREADS} (got "0").`);
  });

  it('in Node (no page, not isolated) the count is 1', () => {
    expect(threadCount()).toBe(1);
  });
});

describe('worker pool size', () => {
  it('the setting, else all the cores the browser reports, capped; 1 where the cores are unknown; isolation plays no part', () => {
    expect(resolvePoolSize({ cores: 8, setting: 3 })).toBe(3);
    expect(resolvePoolSize({ cores: 2, setting: 6 })).toBe(6);
    expect(resolvePoolSize({ cores: 4, setting: undefined })).toBe(4);
    expect(resolvePoolSize({ cores: 128, setting: undefined })).toBe(MAX_DEFAULT_POOL_WORKERS);
    expect(resolvePoolSize({ cores: 0, setting: undefined })).toBe(1);
    expect(resolvePoolSize({ cores: undefined, setting: undefined })).toBe(1);
  });

  it('in Node: the cores Node reports, capped', () => {
    const cores = globalThis.navigator?.hardwareConcurrency;
    expect(poolSize()).toBe(resolvePoolSize({ cores, setting: undefined }));
  });

  it('a pool worker runs TF.js on one thread: its name carries threads=1', () => {
    expect(poolWorkerName('fold')).toBe('fold threads=1');
  });
});

/** A page's globals: its address's query and a localStorage (or one that refuses every call). */
function stubPage(search: string, refuse = false): Map<string, string> {
  const stored = new Map<string, string>();
  const fail = (): never => {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  };
  vi.stubGlobal('document', {});
  vi.stubGlobal('location', { search });
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => (refuse ? fail() : (stored.get(key) ?? null)),
    setItem: (key: string, value: string) => (refuse ? fail() : stored.set(key, value)),
    removeItem: (key: string) => (refuse ? fail() : stored.delete(key)),
  });
  return stored;
}

describe('the setting chosen in the footer', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is kept in localStorage and read back as the page setting; Auto removes it', () => {
    const stored = stubPage('');
    expect(threadSetting()).toBeUndefined();
    expect(storeThreadSetting(3)).toBe(true);
    expect(stored.get(THREADS_STORAGE_KEY)).toBe('3');
    expect(storedThreadSetting()).toBe(3);
    expect(threadSetting()).toBe(3);
    expect(threadSettingFromUrl()).toBe(false);
    expect(storeThreadSetting(undefined)).toBe(true);
    expect(stored.has(THREADS_STORAGE_KEY)).toBe(false);
    expect(threadSetting()).toBeUndefined();
  });

  it("the page address's ?threads=N overrides the stored choice", () => {
    stubPage('?threads=1');
    storeThreadSetting(4);
    expect(threadSettingFromUrl()).toBe(true);
    expect(threadSetting()).toBe(1);
  });

  it('a stored value that is not a setting is the default', () => {
    const stored = stubPage('');
    stored.set(THREADS_STORAGE_KEY, '0');
    expect(threadSetting()).toBeUndefined();
  });

  it('a browser that refuses storage: nothing kept, the default used, the refusal told', () => {
    stubPage('', true);
    expect(storeThreadSetting(2)).toBe(false);
    expect(storedThreadSetting()).toBeUndefined();
    expect(threadSetting()).toBeUndefined();
  });
});
