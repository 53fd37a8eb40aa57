/**
 * A lost WebGPU device (driver reset, GPU process crash, the OS reclaiming the GPU) ends the run that
 * used it. Errors keep their name, not their class, when they cross from a worker, so the page tells
 * this one by name.
 */
export class GpuDeviceLostError extends Error {
  constructor(detail: string) {
    super(
      `The GPU stopped working during the run${detail ? ` (${detail})` : ''}. Retry on the CPU path (WebAssembly); nothing stored was changed.`,
    );
    this.name = 'GpuDeviceLostError';
  }
}

export function isGpuDeviceLost(error: unknown): boolean {
  return error instanceof Error && error.name === 'GpuDeviceLostError';
}

/** Rejects with GpuDeviceLostError once `device` is lost; stays pending while it works. */
export async function deviceLost(device: Pick<GPUDevice, 'lost'>): Promise<never> {
  const info = await device.lost;
  throw new GpuDeviceLostError([info.reason, info.message].filter(Boolean).join(': '));
}
