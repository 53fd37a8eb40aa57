import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, chooseBackend } from './compute-backend';
import type { WebGpuProbe } from './webgpu-probe';

const hardware: WebGpuProbe = { available: true, software: false, description: 'nvidia hopper' };
const software: WebGpuProbe = { available: true, software: true, description: 'google swiftshader' };
const none: WebGpuProbe = { available: false, software: false, description: 'WebGPU has no adapter' };

describe('chooseBackend', () => {
  it('auto takes WebGPU only on a hardware adapter', () => {
    expect(chooseBackend('auto', hardware).backend).toBe('webgpu');
    expect(chooseBackend('auto', software)).toMatchObject({ backend: 'wasm', adapter: 'google swiftshader (software)' });
    expect(chooseBackend('auto', software).reason).toMatch(/software renderer/);
    expect(chooseBackend('auto', none)).toMatchObject({ backend: 'wasm', reason: 'WebAssembly path: WebGPU has no adapter' });
  });

  it('honours explicit requests, and refuses WebGPU without an adapter', () => {
    expect(chooseBackend('cpu', hardware).backend).toBe('cpu');
    expect(chooseBackend('wasm', hardware).backend).toBe('wasm');
    expect(chooseBackend('webgpu', software).backend).toBe('webgpu');
    expect(() => chooseBackend('webgpu', none)).toThrow(BackendUnavailableError);
  });
});
