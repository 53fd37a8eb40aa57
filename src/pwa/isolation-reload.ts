/**
 * On a host that does not send the cross-origin isolation headers, the first load of the app is not
 * isolated (one thread); the service worker adds the headers to everything it serves (src/pwa/sw.ts),
 * so once it controls the page one reload makes the page isolated. That reload happens at most once
 * per tab session: a flag in sessionStorage is set before reloading and cleared once the page is
 * isolated, so a browser where the headers do not isolate the page (or a worker that does not add
 * them) never loops. Without a service worker (none supported, storage blocked, a forced reload
 * that bypasses it) the page stays as it loaded: not isolated, one thread, everything else as usual.
 */

export const ISOLATION_RELOAD_KEY = 'qpkpd-isolation-reload';

export interface IsolationReloadContext {
  isolated: boolean;
  /** A service worker controls the page. */
  controlled: boolean;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  reload(): void;
}

/** Reloads when the page is controlled but not isolated and no reload was tried in this tab; returns whether it reloaded. */
export function reloadForIsolation(context: IsolationReloadContext): boolean {
  const { storage } = context;
  if (context.isolated) {
    storage?.removeItem(ISOLATION_RELOAD_KEY);
    return false;
  }
  // Without sessionStorage the guard cannot be kept: no reload at all rather than a possible loop.
  if (!context.controlled || !storage || storage.getItem(ISOLATION_RELOAD_KEY) !== null) return false;
  storage.setItem(ISOLATION_RELOAD_KEY, String(Date.now()));
  context.reload();
  return true;
}

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Checks now (a page loaded under the service worker) and whenever a service worker takes control of the page. */
export function startIsolationReload(): void {
  if (!('serviceWorker' in navigator)) return;
  const check = (): boolean =>
    reloadForIsolation({
      isolated: window.crossOriginIsolated === true,
      controlled: navigator.serviceWorker.controller !== null,
      storage: sessionStore(),
      reload: () => window.location.reload(),
    });
  if (!check()) navigator.serviceWorker.addEventListener('controllerchange', check);
}
