/**
 * Test oracle only: circuits simulated the slow, obvious way. Every gate is applied one at a time to an array
 * of complex amplitudes, wire 0 is the MOST significant bit (the opposite of the simulator), readouts apply
 * the Pauli operators explicitly and take ⟨ψ|Pψ⟩, and gradients come from the exact parameter-shift rule per
 * gate occurrence. The re-uploading circuit is written here from its description, not taken from template.ts.
 */
import type { CircuitTemplate } from '../template';

interface Complex {
  re: number;
  im: number;
}
type Matrix2 = [[Complex, Complex], [Complex, Complex]];
type State = Complex[];
type Pauli = 'X' | 'Y' | 'Z';

const c = (re: number, im = 0): Complex => ({ re, im });
const mul = (a: Complex, b: Complex): Complex => c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
const add = (a: Complex, b: Complex): Complex => c(a.re + b.re, a.im + b.im);

const PAULI: Record<Pauli, Matrix2> = {
  X: [
    [c(0), c(1)],
    [c(1), c(0)],
  ],
  Y: [
    [c(0), c(0, -1)],
    [c(0, 1), c(0)],
  ],
  Z: [
    [c(1), c(0)],
    [c(0), c(-1)],
  ],
};

/** exp(−iθP/2) = cos(θ/2) I − i sin(θ/2) P */
function rotation(axis: Pauli, theta: number): Matrix2 {
  const p = PAULI[axis];
  const cos = Math.cos(theta / 2),
    sin = Math.sin(theta / 2);
  const entry = (r: 0 | 1, k: 0 | 1): Complex => add(c(r === k ? cos : 0), mul(c(0, -sin), p[r][k]));
  return [
    [entry(0, 0), entry(0, 1)],
    [entry(1, 0), entry(1, 1)],
  ];
}

function bitOf(index: number, wire: number, n: number): 0 | 1 {
  return ((index >> (n - 1 - wire)) & 1) as 0 | 1;
}

function applyMatrix(state: State, n: number, wire: number, m: Matrix2): State {
  return state.map((_, index) => {
    const bit = bitOf(index, wire, n);
    const flipped = index ^ (1 << (n - 1 - wire));
    const a0 = bit === 0 ? state[index] : state[flipped];
    const a1 = bit === 0 ? state[flipped] : state[index];
    return add(mul(m[bit][0], a0), mul(m[bit][1], a1));
  });
}

function applyCnot(state: State, n: number, control: number, target: number): State {
  return state.map((_, index) => (bitOf(index, control, n) === 1 ? state[index ^ (1 << (n - 1 - target))] : state[index]));
}

/** ⟨ψ| P_1 ⊗ P_2 ⊗ … |ψ⟩ for the listed (wire, Pauli) factors. */
function expectation(state: State, n: number, factors: [number, Pauli][]): number {
  const applied = factors.reduce((s, [wire, axis]) => applyMatrix(s, n, wire, PAULI[axis]), state);
  return state.reduce((sum, a, i) => sum + a.re * applied[i].re + a.im * applied[i].im, 0);
}

/** A rotation reading input x[i] or flat weight w[i], or a CNOT. */
type Op = { axis: Pauli; wire: number; param: ['x' | 'w', number] } | { cnot: [number, number] };

interface NaiveCircuit {
  n: number;
  ops: Op[];
  readout: [number, Pauli][][];
}

function reuploadCircuit(n: number, layers: number): NaiveCircuit {
  const ops: Op[] = [];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < n; i++) ops.push({ axis: 'Y', wire: i, param: ['x', i] });
    for (let i = 0; i < n; i++) ops.push({ axis: 'X', wire: i, param: ['x', i] });
    for (let i = 0; i < n; i++) {
      const w = (l * n + i) * 3;
      ops.push({ axis: 'Z', wire: i, param: ['w', w] });
      ops.push({ axis: 'Y', wire: i, param: ['w', w + 1] });
      ops.push({ axis: 'Z', wire: i, param: ['w', w + 2] });
    }
    if (n > 1) for (let i = 0; i < n; i++) ops.push({ cnot: [i, (i + 1) % n] });
  }
  const wires = Array.from({ length: n }, (_, i) => i);
  const readout: [number, Pauli][][] = [
    ...(['X', 'Y', 'Z'] as const).flatMap((axis) => wires.map((i): [number, Pauli][] => [[i, axis]])),
    ...wires.map((i): [number, Pauli][] => [
      [i, 'Z'],
      [(i + 1) % n, 'Z'],
    ]),
  ];
  return { n, ops, readout };
}

function templateCircuit(template: CircuitTemplate): NaiveCircuit {
  const n = template.nQubits;
  const ops: Op[] = template.gates.map((gate): Op => {
    if (gate.kind === 'CNOT') return { cnot: [gate.control, gate.target] };
    const a = gate.angle;
    return {
      axis: gate.kind[1] as Pauli,
      wire: gate.wire,
      param: a.kind === 'input' ? ['x', a.index] : ['w', (a.layer * n + a.wire) * 3 + a.k],
    };
  });
  const readout = template.readout.map((o): [number, Pauli][] =>
    o.kind === 'ZZ'
      ? [
          [o.wires[0], 'Z'],
          [o.wires[1], 'Z'],
        ]
      : [[o.wire, o.kind]],
  );
  return { n, ops, readout };
}

/** Readouts of one sample; `shift` adds an angle to the op at that position. */
function run(circuit: NaiveCircuit, x: ArrayLike<number>, w: ArrayLike<number>, shift?: { at: number; by: number }): number[] {
  const { n } = circuit;
  let state: State = Array.from({ length: 2 ** n }, (_, i) => c(i === 0 ? 1 : 0));
  circuit.ops.forEach((op, at) => {
    if ('cnot' in op) {
      state = applyCnot(state, n, op.cnot[0], op.cnot[1]);
    } else {
      const angle = (op.param[0] === 'x' ? x : w)[op.param[1]] + (shift?.at === at ? shift.by : 0);
      state = applyMatrix(state, n, op.wire, rotation(op.axis, angle));
    }
  });
  return circuit.readout.map((factors) => expectation(state, n, factors));
}

/** cotangent · ∂readouts/∂(x, w) by the parameter-shift rule over every rotation occurrence. */
function parameterShiftVjp(
  circuit: NaiveCircuit,
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  cotangent: ArrayLike<number>,
): { gradX: number[]; gradWeights: number[] } {
  const gradX = Array.from(x, () => 0);
  const gradWeights = Array.from(w, () => 0);
  circuit.ops.forEach((op, at) => {
    if ('cnot' in op) return;
    const plus = run(circuit, x, w, { at, by: Math.PI / 2 });
    const minus = run(circuit, x, w, { at, by: -Math.PI / 2 });
    const derivative = plus.reduce((sum, p, k) => sum + (cotangent[k] * (p - minus[k])) / 2, 0);
    (op.param[0] === 'x' ? gradX : gradWeights)[op.param[1]] += derivative;
  });
  return { gradX, gradWeights };
}

export function naiveReuploadExpvals(n: number, layers: number, x: ArrayLike<number>, w: ArrayLike<number>): number[] {
  return run(reuploadCircuit(n, layers), x, w);
}

export function naiveReuploadVjp(
  n: number,
  layers: number,
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  cotangent: ArrayLike<number>,
): { gradX: number[]; gradWeights: number[] } {
  return parameterShiftVjp(reuploadCircuit(n, layers), x, w, cotangent);
}

export function naiveTemplateExpvals(template: CircuitTemplate, x: ArrayLike<number>, w: ArrayLike<number>): number[] {
  return run(templateCircuit(template), x, w);
}

export function naiveTemplateVjp(
  template: CircuitTemplate,
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  cotangent: ArrayLike<number>,
): { gradX: number[]; gradWeights: number[] } {
  return parameterShiftVjp(templateCircuit(template), x, w, cotangent);
}
