/** Expectation values [B, nOutputs] of the circuit for inputs x [B, nInputs] and weights (nWeights values). */
export const QNN_LAYER = 'QnnLayer';

/**
 * Inputs x, weights and the upstream gradient dy [B, nOutputs]; output [B, nInputs + nWeights]: columns
 * [0, nInputs) are ∂/∂x per sample, columns [nInputs, nInputs + nWeights) are contributions to ∂/∂weights whose
 * sum over the rows is the batch gradient (per sample on WebGPU; on the CPU the whole sum is in row 0).
 */
export const QNN_LAYER_GRAD = 'QnnLayerGrad';
