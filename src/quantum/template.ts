import { QuantumShapeError } from './errors';

/** Where a rotation gets its angle: one of the per-sample inputs, or one of the trainable weights. */
export type AngleSource =
  | { readonly kind: 'input'; readonly index: number }
  | { readonly kind: 'weight'; readonly layer: number; readonly wire: number; readonly k: number };

/** R_P(θ) = exp(−iθP/2). */
export interface RotationGate {
  readonly kind: 'RX' | 'RY' | 'RZ';
  readonly wire: number;
  readonly angle: AngleSource;
}

export interface CnotGate {
  readonly kind: 'CNOT';
  readonly control: number;
  readonly target: number;
}

export type Gate = RotationGate | CnotGate;

/** A single-wire Pauli, or Z⊗Z on two wires (the same wire twice gives the identity). */
export type Observable =
  { readonly kind: 'X' | 'Y' | 'Z'; readonly wire: number } | { readonly kind: 'ZZ'; readonly wires: readonly [number, number] };

/** A circuit as data: any simulator runs it from |0…0⟩ gate by gate and returns the readout in order. */
export interface CircuitTemplate {
  readonly name: string;
  readonly nQubits: number;
  readonly nLayers: number;
  readonly nInputs: number;
  /** Weights are laid out [layer][wire][k], k in 0..2. */
  readonly nWeights: number;
  readonly gates: readonly Gate[];
  readonly readout: readonly Observable[];
}

/** Wires a gate acts on: one for a rotation, control and target for a CNOT. */
export function gateWires(gate: Gate): readonly number[] {
  return gate.kind === 'CNOT' ? [gate.control, gate.target] : [gate.wire];
}

/** Checks that gate `index` acts on wires 0..nQubits−1, and a CNOT on two different wires. */
export function checkGateWires(gate: Gate, index: number, nQubits: number): void {
  for (const wire of gateWires(gate)) {
    if (!Number.isInteger(wire) || wire < 0 || wire >= nQubits) {
      throw new QuantumShapeError(`gate ${index} (${gate.kind}): wire ${wire} is outside 0..${nQubits - 1}`);
    }
  }
  if (gate.kind === 'CNOT' && gate.control === gate.target) {
    throw new QuantumShapeError(`gate ${index} (CNOT): control and target are the same wire`);
  }
}

export const MAX_QUBITS = 9;
export const MAX_LAYERS = 6;

/** Readout blocks of the re-uploading template, n values each: ⟨X_i⟩, ⟨Y_i⟩, ⟨Z_i⟩, ⟨Z_i Z_{(i+1) mod n}⟩. */
export const READOUT_ORDER = ['X', 'Y', 'Z', 'ZZ_ring'] as const;

function checkCount(what: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new QuantumShapeError(`${what} must be an integer in 1..${max}, got ${value}`);
  }
}

/**
 * Per layer l: RY(x_i) then RX(x_i) on every wire (inputs re-uploaded each layer), then
 * Rot(w[l,i,·]) = RZ(w2)·RY(w1)·RZ(w0) on every wire, then, for n > 1, CNOT(i → (i+1) mod n) for i = 0..n−1.
 */
export function reuploadingStronglyEntangling(nQubits: number, nLayers: number): CircuitTemplate {
  checkCount('Number of qubits', nQubits, MAX_QUBITS);
  checkCount('Number of layers', nLayers, MAX_LAYERS);
  const n = nQubits;
  const wires = Array.from({ length: n }, (_, i) => i);
  const gates: Gate[] = [];
  for (let layer = 0; layer < nLayers; layer++) {
    for (const kind of ['RY', 'RX'] as const) {
      for (const wire of wires) gates.push({ kind, wire, angle: { kind: 'input', index: wire } });
    }
    for (const wire of wires) {
      const weight = (k: number): AngleSource => ({ kind: 'weight', layer, wire, k });
      gates.push({ kind: 'RZ', wire, angle: weight(0) });
      gates.push({ kind: 'RY', wire, angle: weight(1) });
      gates.push({ kind: 'RZ', wire, angle: weight(2) });
    }
    if (n > 1) {
      for (const wire of wires) gates.push({ kind: 'CNOT', control: wire, target: (wire + 1) % n });
    }
  }
  const readout: Observable[] = [
    ...(['X', 'Y', 'Z'] as const).flatMap((kind) => wires.map((wire) => ({ kind, wire }))),
    ...wires.map((wire) => ({ kind: 'ZZ' as const, wires: [wire, (wire + 1) % n] as const })),
  ];
  return {
    name: 'reupload-strongly-entangling-v1',
    nQubits: n,
    nLayers,
    nInputs: n,
    nWeights: nLayers * n * 3,
    gates,
    readout,
  };
}
