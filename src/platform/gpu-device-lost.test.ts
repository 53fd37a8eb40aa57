import { describe, expect, it } from 'vitest';
import { deviceLost, GpuDeviceLostError, isGpuDeviceLost } from './gpu-device-lost';

describe('deviceLost', () => {
  it('rejects with GpuDeviceLostError naming the reason once the device is lost', async () => {
    const lost = Promise.resolve({ reason: 'unknown', message: 'GPU process exited' } as GPUDeviceLostInfo);
    const error = await deviceLost({ lost }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GpuDeviceLostError);
    expect((error as Error).message).toBe(
      'The GPU stopped working during the run (unknown: GPU process exited). Retry on the CPU path (WebAssembly); nothing stored was changed.',
    );
  });
});

describe('isGpuDeviceLost', () => {
  it('recognises the error by name, as it arrives from a worker (class not kept)', () => {
    expect(isGpuDeviceLost(Object.assign(new Error('x'), { name: 'GpuDeviceLostError' }))).toBe(true);
    expect(isGpuDeviceLost(new Error('x'))).toBe(false);
    expect(isGpuDeviceLost('GpuDeviceLostError')).toBe(false);
  });
});
