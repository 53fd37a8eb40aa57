import { describe, expect, it } from 'vitest';
import { QuantumShapeError } from '../errors';
import { type Gate, reuploadingStronglyEntangling } from '../template';
import { gateWires } from '../template';
import { asapDepth, fusedDepth } from './circuit-depth';

const rot = (kind: 'RX' | 'RY' | 'RZ', wire: number): Gate => ({ kind, wire, angle: { kind: 'input', index: wire } });
const cnot = (control: number, target: number): Gate => ({ kind: 'CNOT', control, target });
const ring = (n: number): Gate[] => Array.from({ length: n }, (_, i) => cnot(i, (i + 1) % n));

describe('asapDepth', () => {
  it('is 0 for no gates and 1 for gates on different wires', () => {
    expect(asapDepth([], 3)).toBe(0);
    expect(asapDepth([rot('RX', 0), rot('RY', 1), rot('RZ', 2)], 3)).toBe(1);
  });

  it('stacks gates on one wire and makes a CNOT wait for both wires', () => {
    expect(asapDepth([rot('RX', 0), rot('RY', 0), rot('RZ', 0)], 1)).toBe(3);
    // RX0 @1, CNOT(0→1) @2, RX1 @3
    expect(asapDepth([rot('RX', 0), cnot(0, 1), rot('RX', 1)], 2)).toBe(3);
    // RX1 @1 and RX0 @1 in parallel, then CNOT @2
    expect(asapDepth([rot('RX', 1), rot('RX', 0), cnot(0, 1)], 2)).toBe(2);
    // a CNOT on wires 0,1 does not delay a gate on wire 2
    expect(asapDepth([cnot(0, 1), cnot(0, 1), rot('RX', 2)], 3)).toBe(2);
  });

  it('gives the CNOT ring depth n for n ≥ 3, and 2 for n = 2 (CNOT(0→1), CNOT(1→0))', () => {
    expect(asapDepth(ring(2), 2)).toBe(2);
    expect(ring(2)).toEqual([cnot(0, 1), cnot(1, 0)]);
    for (const n of [3, 4, 5, 9]) expect(asapDepth(ring(n), n)).toBe(n);
  });

  it.each([
    // n = 1: 5 rotations per layer on one wire, no CNOT
    [1, 1, 5],
    [1, 2, 10],
    // n = 2: 5 rotations, then CNOT(0→1) @6, CNOT(1→0) @7
    [2, 1, 7],
    [2, 2, 14],
    // n = 3: 5 rotations, then the ring @6, @7, @8; layer 2 starts from wires at (8, 7, 8): 13, 12, 13 → ring @14, @15, @16
    [3, 1, 8],
    [3, 2, 16],
  ])('re-uploading template n = %i, L = %i has ASAP depth %i', (n, layers, depth) => {
    expect(asapDepth(reuploadingStronglyEntangling(n, layers).gates, n)).toBe(depth);
  });

  it('follows L·(5 + n) for the re-uploading template with n ≥ 2', () => {
    for (let n = 2; n <= 9; n++) {
      for (let layers = 1; layers <= 6; layers++) {
        expect(asapDepth(reuploadingStronglyEntangling(n, layers).gates, n)).toBe(layers * (5 + n));
      }
    }
  });
});

describe('fusedDepth', () => {
  it('counts a run of one-qubit gates on a wire as one step', () => {
    expect(fusedDepth([rot('RX', 0), rot('RY', 0), rot('RZ', 0)], 1)).toBe(1);
    // run0 @1, CNOT @2, then run0' and run1 in parallel @3
    const gates = [rot('RX', 0), rot('RY', 0), cnot(0, 1), rot('RZ', 0), rot('RZ', 1), rot('RX', 1)];
    expect(asapDepth(gates, 2)).toBe(5);
    expect(fusedDepth(gates, 2)).toBe(3);
  });

  it('breaks a run at a CNOT on that wire only', () => {
    // wire 2's run is untouched by CNOT(0→1): RX2, (CNOT), RY2 stays one step
    expect(fusedDepth([rot('RX', 2), cnot(0, 1), rot('RY', 2)], 3)).toBe(1);
    expect(fusedDepth([rot('RX', 1), cnot(0, 1), rot('RY', 1)], 3)).toBe(3);
  });

  it('leaves CNOT-only circuits unchanged', () => {
    for (const n of [2, 3, 6]) expect(fusedDepth(ring(n), n)).toBe(asapDepth(ring(n), n));
  });

  it.each([
    [1, 1, 1],
    [1, 2, 1], // no CNOT: all ten rotations fuse into one unitary
    [2, 1, 3], // run @1, CNOT @2, CNOT @3
    [2, 2, 6],
    [3, 1, 4], // run @1, ring @2..@4
    [3, 2, 8],
  ])('re-uploading template n = %i, L = %i has fused depth %i', (n, layers, depth) => {
    expect(fusedDepth(reuploadingStronglyEntangling(n, layers).gates, n)).toBe(depth);
  });

  it('follows L·(n + 1) for the re-uploading template with n ≥ 2', () => {
    for (let n = 2; n <= 9; n++) {
      for (let layers = 1; layers <= 6; layers++) {
        expect(fusedDepth(reuploadingStronglyEntangling(n, layers).gates, n)).toBe(layers * (n + 1));
      }
    }
  });
});

describe('gate checks', () => {
  it('names the wires of each gate', () => {
    expect(gateWires(cnot(2, 0))).toEqual([2, 0]);
    expect(gateWires(rot('RY', 1))).toEqual([1]);
  });

  it.each([asapDepth, fusedDepth])('%o rejects out-of-range wires and a CNOT onto itself', (depth) => {
    expect(() => depth([rot('RX', 2)], 2)).toThrow(QuantumShapeError);
    expect(() => depth([rot('RX', 2)], 2)).toThrow(/gate 0 \(RX\): wire 2 is outside 0\.\.1/);
    expect(() => depth([rot('RX', 0), cnot(1, 1)], 2)).toThrow(/gate 1 \(CNOT\): control and target are the same wire/);
  });
});
