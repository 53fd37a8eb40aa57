import { QuantumShapeError } from '../errors';

/** IBM's quantum volume the poster quotes. */
export const DEFAULT_QUANTUM_VOLUME = 512;

export interface FeasibilityInput {
  readonly nQubits: number;
  /** Circuit layers L: the poster's "depth T". */
  readonly nLayers: number;
  /** Elementary depth of the compiled circuit (one-qubit runs fused), from the gate list. */
  readonly elementaryDepth: number;
  /** Quantum volume QV = 2^m: the device runs m-qubit, depth-m random circuits reliably. */
  readonly quantumVolume?: number;
}

/** 'fits': both checks pass; 'noise-limited': the poster's rule passes, the elementary depth does not; 'exceeds': the poster's rule fails. */
export type FeasibilityVerdict = 'fits' | 'noise-limited' | 'exceeds';

export interface Feasibility {
  readonly quantumVolume: number;
  /** ⌊log2 QV⌋: bound on both qubits and depth. */
  readonly bound: number;
  readonly widthOk: boolean;
  /** L ≤ log2 QV (the poster's reading of depth T). */
  readonly layersOk: boolean;
  /** widthOk and layersOk: the poster's rule. */
  readonly posterRuleOk: boolean;
  /** Fused elementary depth ≤ log2 QV. */
  readonly elementaryDepthOk: boolean;
  readonly verdict: FeasibilityVerdict;
  /** One or two sentences a clinician-scientist can read. */
  readonly message: string;
}

const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;

/** Largest m with 2^m ≤ QV. */
export function quantumVolumeBound(quantumVolume: number): number {
  if (!Number.isInteger(quantumVolume) || quantumVolume < 2) {
    throw new QuantumShapeError(`Quantum volume must be an integer of at least 2, got ${quantumVolume}`);
  }
  return Math.floor(Math.log2(quantumVolume));
}

/** Hardware feasibility by the poster's rule (qubits ≤ log2 QV and layers ≤ log2 QV) and by the compiled depth. */
export function hardwareFeasibility(input: FeasibilityInput): Feasibility {
  const { nQubits, nLayers, elementaryDepth } = input;
  const quantumVolume = input.quantumVolume ?? DEFAULT_QUANTUM_VOLUME;
  const bound = quantumVolumeBound(quantumVolume);
  for (const [key, value] of [
    ['nQubits', nQubits],
    ['nLayers', nLayers],
    ['elementaryDepth', elementaryDepth],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new QuantumShapeError(`Feasibility: ${key} must be a positive integer, got ${value}`);
  }
  const widthOk = nQubits <= bound;
  const layersOk = nLayers <= bound;
  const posterRuleOk = widthOk && layersOk;
  const elementaryDepthOk = elementaryDepth <= bound;
  const verdict: FeasibilityVerdict = !posterRuleOk ? 'exceeds' : elementaryDepthOk ? 'fits' : 'noise-limited';

  const shape = `${plural(nQubits, 'qubit')} × ${plural(nLayers, 'layer')}`;
  const device = `a QV-${quantumVolume} device (≤ ${bound} × ${bound})`;
  const depth = `the compiled circuit is ${elementaryDepth} ${elementaryDepth === 1 ? 'gate' : 'gates'} deep`;
  let message: string;
  if (posterRuleOk) {
    message = elementaryDepthOk
      ? `${shape} fits ${device} by the poster's rule, and ${depth}, within ${bound}: within reach of today's hardware.`
      : `${shape} fits ${device} by the poster's rule; ${depth}, beyond ${bound}, so on today's hardware expect noise to dominate.`;
  } else {
    const why = !widthOk && !layersOk ? 'too many qubits and layers' : !widthOk ? 'too many qubits' : 'too many layers';
    message =
      `${shape} does not fit ${device} by the poster's rule (${why}); ${depth}` +
      `${elementaryDepthOk ? '' : `, beyond ${bound}`}. Today's hardware cannot run it reliably: simulation only.`;
  }
  return { quantumVolume, bound, widthOk, layersOk, posterRuleOk, elementaryDepthOk, verdict, message };
}
