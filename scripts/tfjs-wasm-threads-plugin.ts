/**
 * A Vite plugin that lets TF.js's threaded WebAssembly backend start its threads from a minified
 * bundle. TF.js starts each thread as a worker that evaluates `WasmBackendModuleThreadedSimd.toString()`
 * — the Emscripten factory's source alone, without the closure around it. That closure declares
 * `_scriptDir`, which the factory reads behind a `typeof _scriptDir !== "undefined"` guard; the
 * minifier, seeing the variable declared, drops the guard and renames it, so every thread dies with
 * "ReferenceError: e is not defined". Removing the declaration makes `_scriptDir` a global the
 * minifier leaves alone and the guard holds: the main thread gets `undefined` as in a worker
 * (TF.js passes the script itself as `mainScriptUrlOrBlob`, so nothing else reads it).
 */
import type { Plugin } from 'vite';

const THREADED_FACTORY = /@tensorflow[\\/]tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;

const SCRIPT_DIR_DECLARATION =
  "  var _scriptDir = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined;\n" +
  "  if (typeof __filename !== 'undefined') _scriptDir = _scriptDir || __filename;\n";

/** The factory's source without the `_scriptDir` declaration; throws where the source is not the one this fix is for. */
export function withoutScriptDir(code: string): string {
  const source = code.replace(/\r\n/g, '\n');
  if (!source.includes(SCRIPT_DIR_DECLARATION)) {
    throw new Error(
      'tfjs-backend-wasm-threaded-simd.js changed: its _scriptDir declaration was not found (see scripts/tfjs-wasm-threads-plugin.ts).',
    );
  }
  return source.replace(SCRIPT_DIR_DECLARATION, '');
}

export function tfjsWasmThreads(): Plugin {
  return {
    name: 'qpkpd-tfjs-wasm-threads',
    transform(code, id) {
      if (!THREADED_FACTORY.test(id.split('?')[0])) return null;
      return { code: withoutScriptDir(code), map: null };
    },
  };
}
