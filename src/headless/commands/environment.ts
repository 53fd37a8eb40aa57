import { probeWebGpu } from '../../platform/webgpu-probe';
import { registerHeadlessCommand } from '../registry';

registerHeadlessCommand('environment', async () => ({
  userAgent: navigator.userAgent,
  hardwareConcurrency: navigator.hardwareConcurrency,
  webgpu: await probeWebGpu(),
}));
