/** The encoders with quantum blocks, which the experiments compare (free of TF.js: the UI lists them). */
import { ENCODER_NAMES, type EncoderName, isQuantumEncoder } from '../../quantum/resources/architecture';

export const QUANTUM_ENCODERS: readonly EncoderName[] = ENCODER_NAMES.filter(isQuantumEncoder);
