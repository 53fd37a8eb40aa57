import { type ArchitectureConfig, DEFAULT_ARCHITECTURE, type EncoderName } from './architecture';
import { dense, denseNoBias, layerNorm, type ParameterSplit, quantumBlockParameters } from './layer-parameters';

export interface ParameterPart extends ParameterSplit {
  readonly name: string;
}

/** Trainable parameters of one encoder (heads not included: see `headParameters`). */
export interface EncoderParameters extends ParameterSplit {
  readonly encoder: EncoderName;
  readonly total: number;
  /** Quantum blocks, each running its own circuit once per sample. */
  readonly circuits: number;
  readonly parts: readonly ParameterPart[];
}

type Builder = (c: ArchitectureConfig) => ParameterPart[];

const classical = (name: string, count: number): ParameterPart => ({ name, classical: count, quantum: 0 });

const times = (k: number, part: ParameterSplit): ParameterSplit => ({ classical: k * part.classical, quantum: k * part.quantum });

const sum = (name: string, parts: readonly ParameterSplit[]): ParameterPart => ({
  name,
  classical: parts.reduce((s, p) => s + p.classical, 0),
  quantum: parts.reduce((s, p) => s + p.quantum, 0),
});

function quantumBlock(c: ArchitectureConfig, inputs: number, outputs: number): ParameterSplit {
  return quantumBlockParameters({
    inputs,
    outputs,
    nQubits: c.nQubits,
    nLayers: c.nLayers,
    readoutsPerQubit: c.readoutsPerQubit,
    weightsPerQubitLayer: c.weightsPerQubitLayer,
  });
}

const blocks = (c: ArchitectureConfig, build: (label: string) => ParameterPart[]): ParameterPart[] =>
  Array.from({ length: c.depth }, (_, b) => build(`Block ${b + 1}`)).flat();

/** Two dense layers a → b → a with biases. */
const mlp2 = (a: number, b: number): number => dense(a, b) + dense(b, a);

/** Router dense(H → E) without bias, E experts H → 2H → H, each either dense→dense or (quantum) one block H → H. */
function moeParts(c: ArchitectureConfig, label: string, quantumExperts: boolean): ParameterPart[] {
  const H = c.hidden;
  const expert = quantumExperts ? quantumBlock(c, H, H) : { classical: mlp2(H, c.expertExpansion * H), quantum: 0 };
  return [
    classical(`${label} router ${H} → ${c.experts} (no bias)`, denseNoBias(H, c.experts)),
    sum(
      quantumExperts
        ? `${label} experts ${c.experts} × quantum ${H} → ${H}`
        : `${label} experts ${c.experts} × (${H} → ${c.expertExpansion * H} → ${H})`,
      [times(c.experts, expert)],
    ),
  ];
}

/** ResMLP-MoE family: input dense → LN; D × [residual MLP H → 4H → H, routed MoE, LN]; output LN → dense(H → H). */
function resMlpMoeParts(c: ArchitectureConfig, quantumResidual: boolean, quantumExperts: boolean): ParameterPart[] {
  const H = c.hidden;
  const wide = c.residualExpansion * H;
  return [
    classical(`Input dense ${c.nInputs} → ${H} + LayerNorm`, dense(c.nInputs, H) + layerNorm(H)),
    ...blocks(c, (label) => [
      quantumResidual
        ? sum(`${label} residual MLP: quantum ${H} → ${wide}, quantum ${wide} → ${H}`, [quantumBlock(c, H, wide), quantumBlock(c, wide, H)])
        : classical(`${label} residual MLP ${H} → ${wide} → ${H}`, mlp2(H, wide)),
      ...moeParts(c, label, quantumExperts),
      classical(`${label} LayerNorm`, layerNorm(H)),
    ]),
    classical(`Output LayerNorm + dense ${H} → ${H}`, layerNorm(H) + dense(H, H)),
  ];
}

/** One line per encoder: the parameter formula, as built from the parts below. */
const BUILDERS: Readonly<Record<EncoderName, Builder>> = {
  /** MLP: dense(N_in → H) + (D − 1)·dense(H → H). */
  mlp: (c) => [
    classical(`Dense ${c.nInputs} → ${c.hidden}`, dense(c.nInputs, c.hidden)),
    ...Array.from({ length: c.depth - 1 }, (_, i) =>
      classical(`Dense ${c.hidden} → ${c.hidden} (layer ${i + 2})`, dense(c.hidden, c.hidden)),
    ),
  ],
  /** ResMLP: dense(N_in → H) + D·[LN(H) + dense(H → rH) + dense(rH → H)] + LN(H). */
  resmlp: (c) => {
    const H = c.hidden;
    const inner = c.resMlpExpansion * H;
    return [
      classical(`Stem dense ${c.nInputs} → ${H}`, dense(c.nInputs, H)),
      ...blocks(c, (label) => [classical(`${label} LayerNorm + ${H} → ${inner} → ${H}`, layerNorm(H) + mlp2(H, inner))]),
      classical('Final LayerNorm', layerNorm(H)),
    ];
  },
  /** MoE: dense(N_in → H) + D·[H·E router + E·(dense(H → 2H) + dense(2H → H)) + LN(H)]. */
  moe: (c) => [
    classical(`Stem dense ${c.nInputs} → ${c.hidden}`, dense(c.nInputs, c.hidden)),
    ...blocks(c, (label) => [...moeParts(c, label, false), classical(`${label} LayerNorm`, layerNorm(c.hidden))]),
  ],
  /** ResMLP-MoE: dense(N_in → H) + LN(H) + D·[dense(H → 4H) + dense(4H → H) + H·E + E·(dense(H → 2H) + dense(2H → H)) + LN(H)] + LN(H) + dense(H → H). */
  'resmlp-moe': (c) => resMlpMoeParts(c, false, false),
  /** QNN-MLP: QB(N_in → H) + (D − 1)·QB(H → H), QB = quantum block. */
  'qnn-mlp': (c) => [
    sum(`Quantum ${c.nInputs} → ${c.hidden}`, [quantumBlock(c, c.nInputs, c.hidden)]),
    ...Array.from({ length: c.depth - 1 }, (_, i) =>
      sum(`Quantum ${c.hidden} → ${c.hidden} (layer ${i + 2})`, [quantumBlock(c, c.hidden, c.hidden)]),
    ),
  ],
  /** QNN-ResMLP-MoE: ResMLP-MoE with each residual MLP replaced by QB(H → 4H) + QB(4H → H). */
  'qnn-resmlp-moe': (c) => resMlpMoeParts(c, true, false),
  /** QMoE-ResMLP: ResMLP-MoE with each expert H → 2H → H replaced by QB(H → H). */
  'qmoe-resmlp': (c) => resMlpMoeParts(c, false, true),
};

/** Circuits (quantum blocks) per encoder: QNN-MLP D, QNN-ResMLP-MoE 2D, QMoE-ResMLP D·E, classical 0. */
export function circuitCount(encoder: EncoderName, c: ArchitectureConfig = DEFAULT_ARCHITECTURE): number {
  switch (encoder) {
    case 'qnn-mlp':
      return c.depth;
    case 'qnn-resmlp-moe':
      return 2 * c.depth;
    case 'qmoe-resmlp':
      return c.depth * c.experts;
    default:
      return 0;
  }
}

/** Trainable parameters of `encoder` as this project builds it, split into classical and circuit weights. */
export function encoderParameters(encoder: EncoderName, config: ArchitectureConfig = DEFAULT_ARCHITECTURE): EncoderParameters {
  const parts = BUILDERS[encoder](config);
  const total = sum('total', parts);
  return {
    encoder,
    classical: total.classical,
    quantum: total.quantum,
    total: total.classical + total.quantum,
    circuits: circuitCount(encoder, config),
    parts,
  };
}

/** Regression head, counted apart from the encoder: dense(H → H/2) + dense(H/2 → M_out). */
export function headParameters(config: ArchitectureConfig = DEFAULT_ARCHITECTURE): number {
  return dense(config.hidden, config.headHidden) + dense(config.headHidden, config.outputs);
}
