import { reuploadingStronglyEntangling } from '../template';
import { architecture, type ArchitectureConfig, CLASSICAL_COUNTERPART, type EncoderName, isQuantumEncoder } from './architecture';
import { circuitResources, type CircuitResources } from './circuit-resources';
import { type Feasibility, hardwareFeasibility } from './feasibility';
import { encoderParameters, type EncoderParameters, headParameters } from './model-parameters';
import { posterClassicalParameters, posterHybridParameters, type PosterHybridParameters, type PosterShape } from './poster-formulas';

export interface ResourceEstimateInput {
  readonly encoder: EncoderName;
  readonly nQubits: number;
  readonly nLayers: number;
  /** N_in; the architecture default (21) when left out. */
  readonly nInputs?: number;
  /** Defaults to 512. */
  readonly quantumVolume?: number;
  /** Further architecture overrides (H, D, E, …). */
  readonly architecture?: Partial<ArchitectureConfig>;
}

export interface ResourceEstimate {
  readonly encoder: EncoderName;
  readonly quantum: boolean;
  readonly config: ArchitectureConfig;
  /** One circuit of the re-uploading template at n qubits, L layers; null for classical encoders. */
  readonly circuit: CircuitResources | null;
  readonly parameters: EncoderParameters;
  /** The classical encoder the quantum one is derived from (itself for a classical encoder). */
  readonly classicalCounterpart: EncoderParameters;
  /** Regression head, not in the encoder totals. */
  readonly head: number;
  readonly poster: {
    /** Hybrid formula at M_in = n qubits, L_qnn = L; null for classical encoders. */
    readonly hybrid: (PosterHybridParameters & { readonly shape: PosterShape }) | null;
    /** Classical-NN formula: at M_in = n, L_nn = L beside a quantum encoder (the poster's comparison), at M_in = H, L_nn = D otherwise. */
    readonly classical: { readonly shape: PosterShape; readonly parameters: number };
  };
  /** Null for classical encoders. */
  readonly feasibility: Feasibility | null;
}

/** Everything the resources panel shows, for one encoder and circuit shape. */
export function estimateResources(input: ResourceEstimateInput): ResourceEstimate {
  const config = architecture({
    ...input.architecture,
    nQubits: input.nQubits,
    nLayers: input.nLayers,
    ...(input.nInputs === undefined ? {} : { nInputs: input.nInputs }),
  });
  const quantum = isQuantumEncoder(input.encoder);
  const circuit = quantum ? circuitResources(reuploadingStronglyEntangling(config.nQubits, config.nLayers)) : null;
  const circuitShape: PosterShape = { nInputs: config.nInputs, nOutputs: config.outputs, width: config.nQubits, layers: config.nLayers };
  const classicalShape: PosterShape = quantum ? circuitShape : { ...circuitShape, width: config.hidden, layers: config.depth };
  return {
    encoder: input.encoder,
    quantum,
    config,
    circuit,
    parameters: encoderParameters(input.encoder, config),
    classicalCounterpart: encoderParameters(CLASSICAL_COUNTERPART[input.encoder], config),
    head: headParameters(config),
    poster: {
      hybrid: quantum ? { ...posterHybridParameters(circuitShape), shape: circuitShape } : null,
      classical: { shape: classicalShape, parameters: posterClassicalParameters(classicalShape) },
    },
    feasibility: circuit
      ? hardwareFeasibility({
          nQubits: circuit.nQubits,
          nLayers: circuit.nLayers,
          elementaryDepth: circuit.fusedDepth,
          quantumVolume: input.quantumVolume,
        })
      : null,
  };
}
