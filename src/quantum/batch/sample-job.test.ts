import { describe, expect, it } from 'vitest';
import { compileCircuit } from '../compile';
import { forward, forwardSamples, savedStatesBytes, savedVectorsPerSample, sumWeightRows, vjp, vjpSamples } from '../simulator';
import { reuploadingStronglyEntangling } from '../template';
import { GENERIC_TEMPLATES } from '../testing/generic-templates';
import { circuitInputs } from '../testing/circuit-inputs';
import { ForwardRecords } from './forward-records';
import { runSamples, SerialBatchRunner } from './sample-job';
import { SavedStatesStore } from './saved-states-store';

const CIRCUITS = [
  ['reupload n = 1, L = 2', compileCircuit(reuploadingStronglyEntangling(1, 2))],
  ['reupload n = 5, L = 3', compileCircuit(reuploadingStronglyEntangling(5, 3))],
  ['reupload n = 8, L = 3', compileCircuit(reuploadingStronglyEntangling(8, 3))],
  ...GENERIC_TEMPLATES.map((t) => [t.name, compileCircuit(t)] as const),
] as const;

describe('the adjoint sweep on the states a forward pass kept', () => {
  it.each(CIRCUITS)('gives the same bits as recomputing them: %s', (_, circuit) => {
    const batch = 7;
    const { x, weights, cotangent } = circuitInputs(circuit, batch, 41);
    const expvals = new Float64Array(batch * circuit.nOutputs);
    const saved = forwardSamples(circuit, x, weights, 0, batch, expvals, true)!;
    expect(saved.vectors).toBe(savedVectorsPerSample(circuit));
    expect(saved.data.byteLength).toBe(savedStatesBytes(circuit, batch));
    // keeping the states does not change the forward's values
    expect(expvals).toEqual(forward(circuit, x, weights, batch));
    const outputs = () => ({
      expvals: new Float64Array(batch * circuit.nOutputs),
      gradX: new Float64Array(batch * circuit.nInputs),
      weightRows: new Float64Array(batch * circuit.nWeights),
    });
    const fresh = outputs();
    vjpSamples(circuit, x, weights, 0, batch, cotangent, fresh);
    const reused = outputs();
    vjpSamples(circuit, x, weights, 0, batch, cotangent, reused, saved);
    expect(reused).toEqual(fresh);
    expect(fresh.expvals).toEqual(expvals);
    const whole = vjp(circuit, x, weights, batch, cotangent);
    expect(whole.gradX).toEqual(fresh.gradX);
    expect(whole.gradWeights).toEqual(sumWeightRows(fresh.weightRows, batch, circuit.nWeights));
  });

  it('refuses states of other samples', () => {
    const circuit = CIRCUITS[1][1];
    const { x, weights, cotangent } = circuitInputs(circuit, 4, 3);
    const saved = forwardSamples(circuit, x, weights, 0, 2, new Float64Array(4 * circuit.nOutputs), true)!;
    const out = { gradX: new Float64Array(4 * circuit.nInputs), weightRows: new Float64Array(4 * circuit.nWeights) };
    expect(() => vjpSamples(circuit, x, weights, 0, 4, cotangent, out, saved)).toThrow(/do not fit/);
  });
});

describe('samples in parts', () => {
  it('any partition of the samples gives the serial runner’s bits, states kept or not', () => {
    const circuit = CIRCUITS[2][1];
    const batch = 13;
    const { x, weights, cotangent } = circuitInputs(circuit, batch, 9);
    const serial = new SerialBatchRunner();
    const expected = {
      expvals: serial.forward(circuit, x, weights, batch, null),
      ...serial.vjp(circuit, x, weights, batch, cotangent, null),
    };
    for (const cuts of [
      [0, 13],
      [0, 1, 13],
      [0, 6, 7, 13],
      [0, 3, 5, 9, 13],
    ]) {
      for (const keep of [null, 'k']) {
        const stores = cuts.slice(1).map(() => new SavedStatesStore());
        const expvals = new Float64Array(batch * circuit.nOutputs);
        const gradX = new Float64Array(batch * circuit.nInputs);
        const weightRows = new Float64Array(batch * circuit.nWeights);
        const forwardJob = { kind: 'forward', circuit, x, weights, expvals, keep } as const;
        const vjpJob = { kind: 'vjp', circuit, x, weights, cotangent, gradX, weightRows, reuse: keep } as const;
        cuts.slice(1).forEach((to, p) => runSamples(forwardJob, cuts[p], to, stores[p]));
        expect(stores.map((s) => s.size)).toEqual(stores.map(() => (keep ? 1 : 0)));
        cuts.slice(1).forEach((to, p) => runSamples(vjpJob, cuts[p], to, stores[p]));
        expect(stores.map((s) => s.size)).toEqual(stores.map(() => 0));
        expect(expvals).toEqual(expected.expvals);
        expect(gradX).toEqual(expected.gradX);
        expect(sumWeightRows(weightRows, batch, circuit.nWeights)).toEqual(expected.gradWeights);
      }
    }
  });
});

describe('SavedStatesStore', () => {
  const states = (from: number, to: number, values: number) => ({ from, to, vectors: 1, data: new Float64Array(values) });

  it('gives an entry once, only for the same samples', () => {
    const store = new SavedStatesStore();
    store.put('a@0', states(0, 4, 8));
    expect(store.take('a@0', 0, 3)).toBeNull();
    expect(store.size).toBe(0);
    store.put('a@0', states(0, 4, 8));
    expect(store.take('a@0', 0, 4)?.to).toBe(4);
    expect(store.take('a@0', 0, 4)).toBeNull();
    expect(store.heldBytes).toBe(0);
  });

  it('drops the oldest entries beyond its bytes or count, and never keeps one larger than the budget', () => {
    const store = new SavedStatesStore(1000, 3);
    store.put('a', states(0, 1, 50)); // 400 bytes
    store.put('b', states(0, 1, 50));
    store.put('c', states(0, 1, 50)); // 1200 > 1000: a goes
    expect(store.size).toBe(2);
    expect(store.take('a', 0, 1)).toBeNull();
    store.put('d', states(0, 1, 10));
    store.put('e', states(0, 1, 10)); // four entries > 3: b goes
    expect(store.take('b', 0, 1)).toBeNull();
    expect(store.take('c', 0, 1)).not.toBeNull();
    store.put('huge', states(0, 1, 200));
    expect(store.take('huge', 0, 1)).toBeNull();
    expect(store.heldBytes).toBe(160);
  });
});

describe('buffers of used states', () => {
  it('are written again by the next forward pass instead of a new allocation, with the same results', () => {
    const circuit = CIRCUITS[1][1];
    const batch = 5;
    const { x, weights, cotangent } = circuitInputs(circuit, batch, 12);
    const store = new SavedStatesStore();
    const run = (key: string) => {
      const expvals = new Float64Array(batch * circuit.nOutputs);
      const gradX = new Float64Array(batch * circuit.nInputs);
      const weightRows = new Float64Array(batch * circuit.nWeights);
      runSamples({ kind: 'forward', circuit, x, weights, expvals, keep: key }, 0, batch, store);
      const buffer = store.take(`${key}@0`, 0, batch)!;
      store.put(`${key}@0`, buffer);
      runSamples({ kind: 'vjp', circuit, x, weights, cotangent, gradX, weightRows, reuse: key }, 0, batch, store);
      return { buffer: buffer.data.buffer, expvals, gradX, weightRows };
    };
    const first = run('a');
    const second = run('b');
    expect(second.buffer).toBe(first.buffer);
    expect(second.gradX).toEqual(first.gradX);
    expect(second.weightRows).toEqual(first.weightRows);
    // a smaller job writes the start of the same buffer
    const fewer = new Float64Array(2 * circuit.nOutputs);
    runSamples({ kind: 'forward', circuit, x, weights, expvals: fewer, keep: 'c' }, 0, 2, store);
    const small = store.take('c@0', 0, 2)!;
    expect(small.data.buffer).toBe(first.buffer);
    expect(small.data.length).toBe(savedStatesBytes(circuit, 2) / 8);
  });
});

describe('ForwardRecords', () => {
  const circuit = CIRCUITS[0][1];
  it('finds a forward pass by its circuit and exact input values, once', () => {
    const records = new ForwardRecords(2);
    const x = Float64Array.of(0.5, -1),
      w = Float64Array.of(1, 2, 3, 4, 5, 6);
    const key = records.record(circuit, x, w);
    expect(records.take(circuit, Float64Array.of(0.5, -1.0000001), w)).toBeNull();
    expect(records.take(CIRCUITS[1][1], x, w)).toBeNull();
    expect(records.take(circuit, Float64Array.from(x), Float64Array.from(w))).toBe(key);
    expect(records.take(circuit, x, w)).toBeNull();
    // −0 is not 0: the kept states could differ in the sign of a zero
    records.record(circuit, Float64Array.of(0, 1), w);
    expect(records.take(circuit, Float64Array.of(-0, 1), w)).toBeNull();
  });

  it('remembers the newest ones only', () => {
    const records = new ForwardRecords(2);
    const w = new Float64Array(6);
    const keys = [1, 2, 3].map((v) => records.record(circuit, Float64Array.of(v, v), w));
    expect(records.size).toBe(2);
    expect(records.take(circuit, Float64Array.of(1, 1), w)).toBeNull();
    expect(records.take(circuit, Float64Array.of(3, 3), w)).toBe(keys[2]);
  });
});
