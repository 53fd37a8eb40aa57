/**
 * QnnLayer and QnnLayerGrad for TF.js's 'webgpu' backend: the generated WGSL programs run through
 * WebGPUBackend.runWebGPUProgram, one workgroup per sample. Only types come from the WebGPU backend package, so
 * registering costs nothing where that backend is absent.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { DEFAULT_TUNING, SOFTWARE_TUNING } from '../webgpu/kernel-plan';
import type { KernelTuning } from '../webgpu/kernel-plan';
import { uniformData } from '../webgpu/kernel-table';
import type { KernelTable } from '../webgpu/kernel-table';
import { kernelsFor, QnnBackwardProgram, QnnForwardProgram } from '../webgpu/programs';
import { circuitForAttrs } from './circuit-cache';
import type { QnnLayerAttrs } from './circuit-cache';
import { QNN_LAYER, QNN_LAYER_GRAD } from './kernel-names';
import { replaceKernel } from './replace-registration';

let override: KernelTuning | null = null;

/** Fixes the kernels' workgroup shape (benchmarks, tests); null restores the per-adapter default. */
export function setWebGpuQnnTuning(next: KernelTuning | null): void {
  override = next;
}

/** The tuning set with setWebGpuQnnTuning, or null when the per-adapter default applies. */
export function webGpuQnnTuningOverride(): KernelTuning | null {
  return override;
}

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|software|basic render/i;

/** The tuning the kernels use on a backend: the override, else SOFTWARE_TUNING on software adapters. */
export function webGpuQnnTuning(backend?: WebGPUBackend): KernelTuning {
  if (override) return override;
  const info = backend?.adapterInfo as { vendor?: string; architecture?: string } | undefined;
  return SOFTWARE_ADAPTER.test(`${info?.vendor ?? ''} ${info?.architecture ?? ''}`) ? SOFTWARE_TUNING : DEFAULT_TUNING;
}

/** Runs a program with the circuit table appended to its inputs (a temporary int32 tensor) and its uniforms. */
function runWithTable(
  backend: WebGPUBackend,
  program: QnnForwardProgram | QnnBackwardProgram,
  inputs: TensorInfo[],
  table: KernelTable,
): TensorInfo {
  const tableInfo = backend.makeTensorInfo([table.data.length], 'int32', table.data);
  try {
    return backend.runWebGPUProgram(program, [...inputs, tableInfo], 'float32', uniformData(table.scalars));
  } finally {
    backend.disposeData(tableInfo.dataId);
  }
}

export function webGpuQnnKernels(): KernelConfig[] {
  return [
    {
      kernelName: QNN_LAYER,
      backendName: 'webgpu',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, weights } = inputs as { x: TensorInfo; weights: TensorInfo };
        const webgpu = backend as WebGPUBackend;
        const kernels = kernelsFor(circuitForAttrs(attrs), attrs as unknown as QnnLayerAttrs, webGpuQnnTuning(webgpu));
        return runWithTable(webgpu, new QnnForwardProgram(kernels, x.shape[0]), [x, weights], kernels.table);
      },
    },
    {
      kernelName: QNN_LAYER_GRAD,
      backendName: 'webgpu',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, weights, dy } = inputs as { x: TensorInfo; weights: TensorInfo; dy: TensorInfo };
        const webgpu = backend as WebGPUBackend;
        const kernels = kernelsFor(circuitForAttrs(attrs), attrs as unknown as QnnLayerAttrs, webGpuQnnTuning(webgpu));
        return runWithTable(webgpu, new QnnBackwardProgram(kernels, x.shape[0]), [x, weights, dy], kernels.table);
      },
    },
  ];
}

export function registerWebGpuQnnKernels(): void {
  for (const config of webGpuQnnKernels()) replaceKernel(config);
}
