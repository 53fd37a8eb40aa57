import { describe, expect, it } from 'vitest';
import { ISOLATION_RELOAD_KEY, reloadForIsolation, type IsolationReloadContext } from './isolation-reload';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

function page(change: Partial<IsolationReloadContext> = {}): IsolationReloadContext & { reloads: number } {
  const context = {
    isolated: false,
    controlled: true,
    storage: memoryStorage(),
    reloads: 0,
    reload: () => (context.reloads += 1),
    ...change,
  };
  return context;
}

describe('the reload that isolates the page under the service worker', () => {
  it('reloads once when a service worker controls a page that is not isolated, never twice in the tab', () => {
    const context = page();
    expect(reloadForIsolation(context)).toBe(true);
    // The reloaded page is still not isolated (a browser where the headers do not help): no second reload.
    expect(reloadForIsolation(context)).toBe(false);
    expect(reloadForIsolation(context)).toBe(false);
    expect(context.reloads).toBe(1);
  });

  it('an isolated page clears the guard, so a later loss of isolation (a new worker version) may reload once again', () => {
    const context = page();
    reloadForIsolation(context);
    expect(context.storage?.getItem(ISOLATION_RELOAD_KEY)).not.toBeNull();
    expect(reloadForIsolation({ ...context, isolated: true })).toBe(false);
    expect(context.storage?.getItem(ISOLATION_RELOAD_KEY)).toBeNull();
    expect(reloadForIsolation(context)).toBe(true);
    expect(context.reloads).toBe(2);
  });

  it('does not reload an isolated page, a page no service worker controls, or where the guard cannot be stored', () => {
    for (const change of [{ isolated: true }, { controlled: false }, { storage: null }]) {
      const context = page(change);
      expect(reloadForIsolation(context)).toBe(false);
      expect(context.reloads).toBe(0);
    }
  });
});
