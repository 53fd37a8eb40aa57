import { getGradient, getKernel, registerGradient, registerKernel, unregisterGradient, unregisterKernel } from '@tensorflow/tfjs-core';
import type { GradConfig, KernelConfig } from '@tensorflow/tfjs-core';

/**
 * Registers a kernel, replacing an earlier registration of the same name and backend. TF.js keeps its registry
 * on the global object, so a module evaluated twice (test isolation, hot reload) must not warn or keep stale code.
 */
export function replaceKernel(config: KernelConfig): void {
  if (getKernel(config.kernelName, config.backendName)) unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
}

export function replaceGradient(config: GradConfig): void {
  if (getGradient(config.kernelName)) unregisterGradient(config.kernelName);
  registerGradient(config);
}
