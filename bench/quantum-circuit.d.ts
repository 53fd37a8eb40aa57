/** The part of the untyped npm package `quantum-circuit` that bench/quantum-cpu.ts uses. */
declare module 'quantum-circuit' {
  export default class QuantumCircuit {
    constructor(numQubits: number);
    appendGate(name: string, wires: number | number[], options?: { params?: Record<string, number> }): void;
    run(): void;
    /** Probability of measuring 1 on the wire (rounded to 14 decimals by the package). */
    probability(wire: number): number;
  }
}
