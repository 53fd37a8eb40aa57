export { qnnLayer } from './qnn-layer';
export { QNN_LAYER, QNN_LAYER_GRAD } from './kernel-names';
export { attrsForTemplate, circuitForAttrs } from './circuit-cache';
export type { QnnLayerAttrs } from './circuit-cache';
export { setWebGpuQnnTuning, webGpuQnnTuning } from './webgpu-kernels';
