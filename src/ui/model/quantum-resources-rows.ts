/** Table rows of the quantum-resources panel: the estimator's numbers as display text (no DOM). */
import { ENCODER_LABELS } from '../../quantum/resources/architecture';
import type { ResourceEstimate } from '../../quantum/resources/estimate';
import { formatCount } from '../../text/format';

export interface ResourceRow {
  readonly key: string;
  readonly label: string;
  /** What this project's model needs. */
  readonly ours: string;
  /** The poster's formula result, or '—' where it has none. */
  readonly poster: string;
  /** How the poster's number is computed (shown small under it). */
  readonly formula?: string;
  /** Extra line under `ours`. */
  readonly detail?: string;
}

export type FeasibilityTone = 'fits' | 'noise-limited' | 'exceeds' | 'classical';

export interface FeasibilityView {
  readonly tone: FeasibilityTone;
  readonly badge: string;
  readonly message: string;
}

const NONE = '—';

export function resourceRows(e: ResourceEstimate): ResourceRow[] {
  const { circuit, parameters: p, config: c, poster } = e;
  const hybrid = poster.hybrid;
  const counterpart = e.classicalCounterpart;
  const perCircuit = p.circuits > 0 ? `${formatCount(p.circuits)} circuits × ${formatCount(p.quantum / p.circuits)} weights` : undefined;
  return [
    {
      key: 'qubits',
      label: 'Qubits per circuit',
      ours: circuit ? String(circuit.nQubits) : NONE,
      poster: hybrid ? `M_in = ${hybrid.nQubits}` : NONE,
    },
    {
      key: 'layers',
      label: 'Circuit layers',
      ours: circuit ? String(circuit.nLayers) : NONE,
      poster: hybrid ? `L_qnn = ${hybrid.shape.layers}` : NONE,
    },
    {
      key: 'circuits',
      label: 'Circuits in the model',
      ours: String(p.circuits),
      poster: hybrid ? '1' : NONE,
      ...(p.circuits > 0 ? { detail: 'one per quantum block,\neach run once per sample' } : {}),
    },
    { key: 'depth', label: 'Depth, gate by gate (ASAP)', ours: circuit ? formatCount(circuit.depth) : NONE, poster: NONE },
    {
      key: 'fused-depth',
      label: 'Depth, one-qubit gates fused',
      ours: circuit ? formatCount(circuit.fusedDepth) : NONE,
      poster: hybrid ? `T = ${hybrid.shape.layers}` : NONE,
      ...(hybrid ? { formula: 'the poster takes depth T as the layer count' } : {}),
    },
    {
      key: 'one-qubit-gates',
      label: 'One-qubit gates per circuit',
      ours: circuit ? formatCount(circuit.oneQubitGates) : NONE,
      poster: NONE,
    },
    {
      key: 'two-qubit-gates',
      label: 'Two-qubit gates (CNOT) per circuit',
      ours: circuit ? formatCount(circuit.twoQubitGates) : NONE,
      poster: NONE,
    },
    {
      key: 'circuit-parameters',
      label: 'Circuit parameters',
      ours: formatCount(p.quantum),
      poster: hybrid ? formatCount(hybrid.quantum) : NONE,
      ...(perCircuit ? { detail: perCircuit } : {}),
      ...(hybrid ? { formula: '3 · M_in · L_qnn' } : {}),
    },
    {
      key: 'classical-parameters',
      label: 'Classical parameters',
      ours: formatCount(p.classical),
      poster: hybrid ? formatCount(hybrid.classical) : formatCount(poster.classical.parameters),
      formula: hybrid ? '(N_in + M_out) · M_in' : classicalFormula(e),
    },
    {
      key: 'total',
      label: 'Total parameters (encoder)',
      ours: formatCount(p.total),
      poster: hybrid ? formatCount(hybrid.total) : formatCount(poster.classical.parameters),
    },
    ...(hybrid
      ? [
          {
            key: 'classical-comparison',
            label: 'Classical network for comparison',
            ours: formatCount(counterpart.total),
            detail: ENCODER_LABELS[counterpart.encoder],
            poster: formatCount(poster.classical.parameters),
            formula: classicalFormula(e),
          },
        ]
      : []),
    {
      key: 'head',
      label: 'Regression head (not in totals)',
      ours: formatCount(e.head),
      poster: NONE,
      detail: `${c.hidden} → ${c.headHidden} → ${c.outputs}`,
    },
  ];
}

function classicalFormula(e: ResourceEstimate): string {
  const s = e.poster.classical.shape;
  return `(N_in + M_out) · M_in + M_in² · (L_nn + 2)\nwith M_in = ${s.width}, L_nn = ${s.layers}`;
}

export function feasibilityView(e: ResourceEstimate): FeasibilityView {
  const f = e.feasibility;
  if (!f) {
    return {
      tone: 'classical',
      badge: 'Classical',
      message: `${ENCODER_LABELS[e.encoder]} runs no quantum circuit: no quantum hardware is needed.`,
    };
  }
  const badge = { fits: 'Fits', 'noise-limited': 'Noise-limited', exceeds: 'Exceeds device' }[f.verdict];
  return { tone: f.verdict, badge, message: f.message };
}
