import { QuantumShapeError } from '../errors';
import { MAX_LAYERS, MAX_QUBITS } from '../template';

/** The seven encoders this project builds (docs/reference-system.md, "Encoders"). */
export const ENCODER_NAMES = ['mlp', 'resmlp', 'moe', 'resmlp-moe', 'qnn-mlp', 'qnn-resmlp-moe', 'qmoe-resmlp'] as const;

export type EncoderName = (typeof ENCODER_NAMES)[number];

/** Names as the poster and the UI write them. */
export const ENCODER_LABELS: Readonly<Record<EncoderName, string>> = {
  mlp: 'MLP',
  resmlp: 'ResMLP',
  moe: 'MoE',
  'resmlp-moe': 'ResMLP-MoE',
  'qnn-mlp': 'QNN-MLP',
  'qnn-resmlp-moe': 'QNN-ResMLP-MoE',
  'qmoe-resmlp': 'QMoE-ResMLP',
};

/** For each quantum encoder, the classical encoder it replaces layers of. */
export const CLASSICAL_COUNTERPART: Readonly<Record<EncoderName, EncoderName>> = {
  mlp: 'mlp',
  resmlp: 'resmlp',
  moe: 'moe',
  'resmlp-moe': 'resmlp-moe',
  'qnn-mlp': 'mlp',
  'qnn-resmlp-moe': 'resmlp-moe',
  'qmoe-resmlp': 'resmlp-moe',
};

export function isEncoderName(value: unknown): value is EncoderName {
  return typeof value === 'string' && (ENCODER_NAMES as readonly string[]).includes(value);
}

export function isQuantumEncoder(encoder: EncoderName): boolean {
  return CLASSICAL_COUNTERPART[encoder] !== encoder;
}

/**
 * Architecture constants shared by the parameter counts here and the model code: one source of
 * truth, so a test can check the real models' parameter counts against `encoderParameters`.
 */
export interface ArchitectureConfig {
  /** N_in: input features per observation (21 in the reference pipeline). */
  readonly nInputs: number;
  /** H: hidden width. */
  readonly hidden: number;
  /** D: number of blocks (MLP layers, residual blocks, MoE blocks). */
  readonly depth: number;
  /** E: experts per MoE block. */
  readonly experts: number;
  /** Experts used per sample (no parameters; routing only). */
  readonly topK: number;
  /** Plain ResMLP residual branch H → r·H → H. The reference does not state r; we use 1. */
  readonly resMlpExpansion: number;
  /** ResMLP-MoE residual MLP H → 4H → H. */
  readonly residualExpansion: number;
  /** MoE experts H → 2H → H. */
  readonly expertExpansion: number;
  /** Regression head H → H/2 → GELU → outputs (counted apart from the encoder). */
  readonly headHidden: number;
  /** M_out: outputs per head. */
  readonly outputs: number;
  /** n: qubits per circuit. */
  readonly nQubits: number;
  /** L: circuit layers. */
  readonly nLayers: number;
  /** Circuit readouts per qubit: ⟨X⟩, ⟨Y⟩, ⟨Z⟩, ⟨ZZ⟩ ⇒ 4n values. */
  readonly readoutsPerQubit: number;
  /** Trainable angles per qubit per layer (Rot(φ, θ, ω)). */
  readonly weightsPerQubitLayer: number;
  /** Dropout rate (no parameters). */
  readonly dropout: number;
  /** Initial value of the quantum block's trainable skip weight α. */
  readonly alphaInit: number;
}

export const DEFAULT_ARCHITECTURE: ArchitectureConfig = Object.freeze({
  nInputs: 21,
  hidden: 64,
  depth: 2,
  experts: 4,
  topK: 2,
  resMlpExpansion: 1,
  residualExpansion: 4,
  expertExpansion: 2,
  headHidden: 32,
  outputs: 1,
  nQubits: 8,
  nLayers: 3,
  readoutsPerQubit: 4,
  weightsPerQubitLayer: 3,
  dropout: 0.3,
  alphaInit: 0.5,
});

const POSITIVE_INTEGERS = [
  'nInputs',
  'hidden',
  'depth',
  'experts',
  'topK',
  'resMlpExpansion',
  'residualExpansion',
  'expertExpansion',
  'headHidden',
  'outputs',
  'readoutsPerQubit',
  'weightsPerQubitLayer',
] as const;

/** The defaults with `overrides` applied, checked: sizes are positive integers, n ≤ 9, L ≤ 6, top-k ≤ E. */
export function architecture(overrides: Partial<ArchitectureConfig> = {}): ArchitectureConfig {
  const config: ArchitectureConfig = { ...DEFAULT_ARCHITECTURE, ...overrides };
  for (const key of POSITIVE_INTEGERS) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new QuantumShapeError(`Architecture: ${key} must be a positive integer, got ${value}`);
    }
  }
  const range = (key: 'nQubits' | 'nLayers', max: number): void => {
    const value = config[key];
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new QuantumShapeError(`Architecture: ${key} must be an integer in 1..${max}, got ${value}`);
    }
  };
  range('nQubits', MAX_QUBITS);
  range('nLayers', MAX_LAYERS);
  if (config.topK > config.experts) {
    throw new QuantumShapeError(`Architecture: top-k (${config.topK}) cannot exceed the number of experts (${config.experts})`);
  }
  if (!(config.dropout >= 0 && config.dropout < 1)) {
    throw new QuantumShapeError(`Architecture: dropout must be in [0, 1), got ${config.dropout}`);
  }
  return Object.freeze(config);
}

/**
 * The architecture of a network of the app with `nInputs` inputs: DEFAULT_ARCHITECTURE with
 * `overrides`, checked; the head width follows H/2 (the reference's head) unless given.
 */
export function modelArchitecture(nInputs: number, overrides: Partial<ArchitectureConfig> = {}): ArchitectureConfig {
  const hidden = overrides.hidden ?? DEFAULT_ARCHITECTURE.hidden;
  return architecture({ headHidden: Math.max(1, Math.floor(hidden / 2)), ...overrides, nInputs });
}
