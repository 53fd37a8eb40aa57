import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { withoutScriptDir } from './tfjs-wasm-threads-plugin';

const factoryPath = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');

describe("TF.js's threaded WebAssembly factory", () => {
  it('loses its _scriptDir declaration, so the guarded reads stay guarded in a thread that runs the factory alone', () => {
    const source = readFileSync(factoryPath, 'utf8');
    const fixed = withoutScriptDir(source);
    expect(fixed).not.toContain('var _scriptDir');
    expect(fixed).toContain('typeof _scriptDir !== "undefined" && _scriptDir');
    expect(fixed.length).toBeLessThan(source.length);
  });

  it('refuses a source without the declaration (another TF.js version: the fix must be checked again)', () => {
    expect(() => withoutScriptDir('var WasmBackendModuleThreadedSimd = (() => {})();')).toThrow(/_scriptDir declaration was not found/);
  });
});
