import { checkGateWires, gateWires, type Gate } from '../template';

/**
 * Depth by as-soon-as-possible scheduling of the gate list: each gate starts one step after the
 * last gate on any of its wires (a CNOT occupies both of its wires); depth = the last finishing step.
 */
export function asapDepth(gates: readonly Gate[], nQubits: number): number {
  const busyUntil = new Array<number>(nQubits).fill(0);
  let depth = 0;
  gates.forEach((gate, index) => {
    checkGateWires(gate, index, nQubits);
    const wires = gateWires(gate);
    const end = Math.max(...wires.map((w) => busyUntil[w])) + 1;
    for (const w of wires) busyUntil[w] = end;
    depth = Math.max(depth, end);
  });
  return depth;
}

/**
 * ASAP depth after fusing each wire's consecutive one-qubit gates into one (as hardware compilers
 * do): a run of one-qubit gates on a wire, uninterrupted by a CNOT on that wire, costs one step.
 */
export function fusedDepth(gates: readonly Gate[], nQubits: number): number {
  const busyUntil = new Array<number>(nQubits).fill(0);
  /** Whether the wire's last operation is a one-qubit block that later one-qubit gates join. */
  const openRun = new Array<boolean>(nQubits).fill(false);
  let depth = 0;
  gates.forEach((gate, index) => {
    checkGateWires(gate, index, nQubits);
    if (gate.kind === 'CNOT') {
      const end = Math.max(busyUntil[gate.control], busyUntil[gate.target]) + 1;
      busyUntil[gate.control] = busyUntil[gate.target] = end;
      openRun[gate.control] = openRun[gate.target] = false;
      depth = Math.max(depth, end);
    } else if (!openRun[gate.wire]) {
      busyUntil[gate.wire] += 1;
      openRun[gate.wire] = true;
      depth = Math.max(depth, busyUntil[gate.wire]);
    }
  });
  return depth;
}
