/**
 * How many threads the app's heavy work may use: the one setting every parallel path reads (TF.js's
 * WebAssembly thread pool today). Threads need SharedArrayBuffer, which only a cross-origin-isolated
 * page has (src/platform/cross-origin-isolation.ts): not isolated, the count is 1 (today's serial
 * path). Otherwise the user's setting — the page URL's `?threads=N` (the headless runner's
 * `--threads N` sets it) — or all the cores the browser reports, at most MAX_DEFAULT_THREADS.
 * A worker cannot read its page's URL: the page passes the setting in the worker's name
 * (`workerName`), which `threadCount()` reads there.
 */

/** The default's cap: more threads gain little on the app's small networks and each costs a worker. */
export const MAX_DEFAULT_THREADS = 16;
/** The most a setting may ask for. */
export const MAX_THREADS = 64;

/** The URL parameter (and worker-name field) holding the setting. */
export const THREADS_PARAM = 'threads';

export interface ThreadEnvironment {
  /** `crossOriginIsolated`: SharedArrayBuffer can be shared with workers. */
  isolated: boolean;
  /** `navigator.hardwareConcurrency` (0 or undefined where unknown). */
  cores: number | undefined;
  /** The user's setting, a whole number ≥ 1, or undefined for the default. */
  setting: number | undefined;
}

/** The thread count under `env`: 1 when not isolated, else the setting, else the cores capped. */
export function resolveThreadCount(env: ThreadEnvironment): number {
  if (!env.isolated) return 1;
  if (env.setting !== undefined) return Math.min(env.setting, MAX_THREADS);
  const cores = env.cores && Number.isFinite(env.cores) ? Math.floor(env.cores) : 1;
  return Math.max(1, Math.min(cores, MAX_DEFAULT_THREADS));
}

/** Reads a thread setting: a whole number from 1 to MAX_THREADS; undefined for none, 'auto' or anything else. */
export function parseThreadSetting(text: string | null | undefined): number | undefined {
  if (text == null || !/^\d+$/.test(text.trim())) return undefined;
  const value = Number(text.trim());
  return value >= 1 && value <= MAX_THREADS ? value : undefined;
}

/** Why a `--threads` value is refused, or null when it is a valid setting. */
export function threadSettingError(text: string): string | null {
  return parseThreadSetting(text) === undefined ? `--threads must be a whole number from 1 to ${MAX_THREADS} (got "${text}").` : null;
}

const WORKER_FIELD = new RegExp(`(?:^| )${THREADS_PARAM}=(\\d+)$`);

/** The setting in this context: the page URL's parameter, or in a worker the field its name carries. */
export function threadSetting(): number | undefined {
  const scope = globalThis as { document?: unknown; name?: unknown; location?: { search?: string } };
  if (scope.document === undefined)
    return parseThreadSetting(typeof scope.name === 'string' ? WORKER_FIELD.exec(scope.name)?.[1] : undefined);
  return parseThreadSetting(new URLSearchParams(scope.location?.search ?? '').get(THREADS_PARAM));
}

/** The thread count of this page or worker (see the module comment). */
export function threadCount(): number {
  const scope = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  return resolveThreadCount({
    isolated: scope.crossOriginIsolated === true,
    cores: scope.navigator?.hardwareConcurrency,
    setting: threadSetting(),
  });
}

/** A worker's name carrying this page's thread setting, for `new Worker(url, { type: 'module', name: workerName('training') })`. */
export function workerName(name: string): string {
  const setting = threadSetting();
  return setting === undefined ? name : `${name} ${THREADS_PARAM}=${setting}`;
}
