export interface WebGpuProbe {
  available: boolean;
  /** True for software adapters (SwiftShader and other fallbacks): correct but slow. */
  software: boolean;
  description: string;
}

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i;

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

/** Asks the browser for a WebGPU adapter and classifies it as hardware or software. */
export async function probeWebGpu(gpu: GPU | undefined = globalThis.navigator?.gpu): Promise<WebGpuProbe> {
  if (!gpu) return { available: false, software: false, description: 'WebGPU is not available in this browser' };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { available: false, software: false, description: 'WebGPU has no adapter' };
  const info = (adapter as GPUAdapter & { info?: AdapterInfoLike }).info ?? {};
  const isFallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  return {
    available: true,
    software: isFallback || SOFTWARE_ADAPTER.test(text),
    description: text || 'unnamed adapter',
  };
}
