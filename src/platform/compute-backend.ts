import type { WebGpuProbe } from './webgpu-probe';

export const BACKEND_REQUESTS = ['auto', 'wasm', 'cpu', 'webgpu'] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];
export type ComputeBackend = Exclude<BackendRequest, 'auto'>;

export interface BackendChoice {
  backend: ComputeBackend;
  requested: BackendRequest;
  adapter: string;
  /** Why this backend, in words shown beside every result. */
  reason: string;
}

export class BackendUnavailableError extends Error {
  constructor(adapter: string) {
    super(`WebGPU was requested but this browser offers no WebGPU adapter (${adapter}). Choose "auto", "WebAssembly" or "CPU".`);
    this.name = 'BackendUnavailableError';
  }
}

export function isBackendRequest(value: unknown): value is BackendRequest {
  return typeof value === 'string' && (BACKEND_REQUESTS as readonly string[]).includes(value);
}

/**
 * `auto` uses the WebGPU path only on a hardware adapter: software adapters (SwiftShader) are
 * correct but far slower than the CPU. Otherwise TF.js's WebAssembly backend (XNNPACK, SIMD), which
 * trains the ResMLP-MoE 4–5× faster than TF.js's plain-JavaScript 'cpu' backend (browser: 0.6 s vs 2.9 s per
 * network-epoch on a 2-core VM; 4.1× in Node) with the same
 * results (the quantum op runs the same float64 simulator on both). An explicit request is honoured
 * when possible.
 */
export function chooseBackend(requested: BackendRequest, probe: WebGpuProbe): BackendChoice {
  const adapter = probe.available ? `${probe.description} (${probe.software ? 'software' : 'hardware'})` : probe.description;
  if (requested === 'cpu') return { backend: 'cpu', requested, adapter, reason: 'TF.js CPU (JavaScript) path, as requested' };
  if (requested === 'wasm') return { backend: 'wasm', requested, adapter, reason: 'TF.js WebAssembly path, as requested' };
  if (requested === 'webgpu') {
    if (!probe.available) throw new BackendUnavailableError(adapter);
    return { backend: 'webgpu', requested, adapter, reason: `WebGPU, as requested, on ${adapter}` };
  }
  if (!probe.available) return { backend: 'wasm', requested, adapter, reason: `WebAssembly path: ${probe.description}` };
  if (probe.software) {
    return {
      backend: 'wasm',
      requested,
      adapter,
      reason: `WebAssembly path: the WebGPU adapter (${probe.description}) is a software renderer, slower than the CPU`,
    };
  }
  return { backend: 'webgpu', requested, adapter, reason: `WebGPU on the hardware adapter ${probe.description}` };
}
