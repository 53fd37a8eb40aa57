import type { WebGpuProbe } from './webgpu-probe';

export type BackendRequest = 'auto' | 'cpu' | 'webgpu';
export type ComputeBackend = 'cpu' | 'webgpu';

export interface BackendChoice {
  backend: ComputeBackend;
  requested: BackendRequest;
  adapter: string;
  /** Why this backend, in words shown beside every result. */
  reason: string;
}

export class BackendUnavailableError extends Error {
  constructor(adapter: string) {
    super(`WebGPU was requested but this browser offers no WebGPU adapter (${adapter}). Choose "auto" or "CPU".`);
    this.name = 'BackendUnavailableError';
  }
}

/**
 * `auto` uses the WebGPU path only on a hardware adapter: software adapters (SwiftShader) are
 * correct but far slower than the CPU path. An explicit request is honoured when possible.
 */
export function chooseBackend(requested: BackendRequest, probe: WebGpuProbe): BackendChoice {
  const adapter = probe.available ? `${probe.description} (${probe.software ? 'software' : 'hardware'})` : probe.description;
  if (requested === 'cpu') return { backend: 'cpu', requested, adapter, reason: 'CPU path, as requested' };
  if (requested === 'webgpu') {
    if (!probe.available) throw new BackendUnavailableError(adapter);
    return { backend: 'webgpu', requested, adapter, reason: `WebGPU, as requested, on ${adapter}` };
  }
  if (!probe.available) return { backend: 'cpu', requested, adapter, reason: `CPU path: ${probe.description}` };
  if (probe.software) {
    return { backend: 'cpu', requested, adapter, reason: `CPU path: the WebGPU adapter (${probe.description}) is a software renderer, slower than the CPU` };
  }
  return { backend: 'webgpu', requested, adapter, reason: `WebGPU on the hardware adapter ${probe.description}` };
}
