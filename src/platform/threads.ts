/**
 * How many threads the app's heavy work may use: the one setting every parallel path reads (TF.js's
 * WebAssembly thread pool today). Threads need SharedArrayBuffer, which only a cross-origin-isolated
 * page has (src/platform/cross-origin-isolation.ts): not isolated, the count is 1 (today's serial
 * path). Otherwise the user's setting — the page URL's `?threads=N` (the headless runner's
 * `--threads N` sets it), else the one chosen in the footer (kept in this browser's localStorage) — or all
 * the cores the browser reports, at most MAX_DEFAULT_THREADS.
 * A worker cannot read its page's URL: the page passes the setting in the worker's name
 * (`workerName`), which `threadCount()` reads there.
 *
 * A pool of workers (`workers/worker-pool.ts`) is parallel without shared memory, so its size does not
 * depend on isolation: `poolSize()` is the same setting, else the cores capped at MAX_DEFAULT_POOL_WORKERS.
 * Its workers run TF.js on one thread each (`poolWorkerName`): the parallelism is the pool, and N workers
 * of N threads each would ask for N² threads.
 */

/** The default's cap: more threads gain little on the app's small networks and each costs a worker. */
export const MAX_DEFAULT_THREADS = 16;
/** The most a setting may ask for. */
export const MAX_THREADS = 64;

/** The default pool's cap: each pool worker holds its own TF.js, model and data (memory, start-up time). */
export const MAX_DEFAULT_POOL_WORKERS = 8;

/** The URL parameter (and worker-name field) holding the setting. */
export const THREADS_PARAM = 'threads';

/** The localStorage key of the setting chosen in the footer (the URL parameter overrides it). */
export const THREADS_STORAGE_KEY = 'qpkpd.threads';

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
  return Math.min(knownCores(env.cores), MAX_DEFAULT_THREADS);
}

/** The worker pool's size under `env`, isolated or not: the setting, else the cores capped at MAX_DEFAULT_POOL_WORKERS. */
export function resolvePoolSize(env: Omit<ThreadEnvironment, 'isolated'>): number {
  if (env.setting !== undefined) return Math.min(env.setting, MAX_THREADS);
  return Math.min(knownCores(env.cores), MAX_DEFAULT_POOL_WORKERS);
}

/** The cores the browser reports, at least 1 (1 where unknown). */
function knownCores(cores: number | undefined): number {
  return cores && Number.isFinite(cores) ? Math.max(1, Math.floor(cores)) : 1;
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

/** The setting in this context: the page URL's parameter, else the stored one; in a worker the field its name carries. */
export function threadSetting(): number | undefined {
  const scope = globalThis as { document?: unknown; name?: unknown };
  if (scope.document === undefined)
    return parseThreadSetting(typeof scope.name === 'string' ? WORKER_FIELD.exec(scope.name)?.[1] : undefined);
  return urlThreadSetting() ?? storedThreadSetting();
}

/** The page URL's `?threads=N`, or undefined. */
function urlThreadSetting(): number | undefined {
  const scope = globalThis as { location?: { search?: string } };
  return parseThreadSetting(new URLSearchParams(scope.location?.search ?? '').get(THREADS_PARAM));
}

/** Whether the page URL sets the threads (`?threads=N`), which then overrides the stored setting. */
export function threadSettingFromUrl(): boolean {
  return urlThreadSetting() !== undefined;
}

/** The setting chosen in the footer, or undefined (none, or storage unavailable: a private window may refuse it). */
export function storedThreadSetting(): number | undefined {
  try {
    return parseThreadSetting(globalThis.localStorage?.getItem(THREADS_STORAGE_KEY));
  } catch {
    return undefined;
  }
}

/**
 * Keeps the footer's choice (undefined: back to the default) for the work started from now on: workers and
 * pools read the setting when they start, so a worker already running keeps its count until it restarts or
 * the page reloads. Returns false when the browser refuses to store it.
 */
export function storeThreadSetting(setting: number | undefined): boolean {
  try {
    if (setting === undefined) globalThis.localStorage.removeItem(THREADS_STORAGE_KEY);
    else globalThis.localStorage.setItem(THREADS_STORAGE_KEY, String(setting));
    return true;
  } catch {
    return false;
  }
}

/** The cores the browser reports (1 where unknown). */
export function reportedCores(): number {
  const scope = globalThis as { navigator?: { hardwareConcurrency?: number } };
  return knownCores(scope.navigator?.hardwareConcurrency);
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

/** The worker pool's size in this page (see the module comment). */
export function poolSize(): number {
  const scope = globalThis as { navigator?: { hardwareConcurrency?: number } };
  return resolvePoolSize({ cores: scope.navigator?.hardwareConcurrency, setting: threadSetting() });
}

/** A pool worker's name: one TF.js thread (the pool is the parallelism), e.g. `poolWorkerName('fold')` → `fold threads=1`. */
export function poolWorkerName(name: string): string {
  return `${name} ${THREADS_PARAM}=1`;
}

/** A worker's name carrying this page's thread setting, for `new Worker(url, { type: 'module', name: workerName('training') })`. */
export function workerName(name: string): string {
  const setting = threadSetting();
  return setting === undefined ? name : `${name} ${THREADS_PARAM}=${setting}`;
}
