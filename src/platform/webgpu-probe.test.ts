import { describe, expect, it } from 'vitest';
import { probeWebGpu } from './webgpu-probe';

function fakeGpu(adapter: object | null): GPU {
  return { requestAdapter: async () => adapter } as unknown as GPU;
}

describe('probeWebGpu', () => {
  it('classifies SwiftShader and fallback adapters as software, others as hardware', async () => {
    expect(await probeWebGpu(fakeGpu({ info: { vendor: 'google', architecture: 'swiftshader' } }))).toEqual({
      available: true,
      software: true,
      description: 'google swiftshader',
    });
    expect((await probeWebGpu(fakeGpu({ info: { vendor: 'intel' }, isFallbackAdapter: true }))).software).toBe(true);
    expect(await probeWebGpu(fakeGpu({ info: { vendor: 'nvidia', architecture: 'hopper' } }))).toEqual({
      available: true,
      software: false,
      description: 'nvidia hopper',
    });
  });

  it('reports a missing API or adapter', async () => {
    expect((await probeWebGpu(undefined)).available).toBe(false);
    expect((await probeWebGpu(fakeGpu(null))).available).toBe(false);
  });
});
