/**
 * The quantum layer's batch work as jobs over samples: `runSamples` simulates samples [from, to) of a job in this
 * thread with the float64 simulator — the one place where both runners (serial here, parallel in
 * `shared-batch.ts`) simulate. Each sample is independent, and the batch's weight gradient is the per-sample rows
 * added up in sample order (sumWeightRows), so any partition of the samples gives the same bits.
 */
import type { CompiledCircuit } from '../compile';
import { QuantumShapeError } from '../errors';
import { forwardSamples, savedStatesBytes, sumWeightRows, vjpSamples } from '../simulator';
import { SavedStatesStore } from './saved-states-store';

export interface ForwardJob {
  readonly kind: 'forward';
  readonly circuit: CompiledCircuit;
  readonly x: Float64Array;
  readonly weights: Float64Array;
  readonly expvals: Float64Array;
  /** Keep the states for the gradient under this key (null: do not keep). */
  readonly keep: string | null;
}

export interface VjpJob {
  readonly kind: 'vjp';
  readonly circuit: CompiledCircuit;
  readonly x: Float64Array;
  readonly weights: Float64Array;
  readonly cotangent: Float64Array;
  readonly gradX: Float64Array;
  readonly weightRows: Float64Array;
  /** Reuse the states a forward job kept under this key, where this thread has them for the same samples. */
  readonly reuse: string | null;
}

export type SampleJob = ForwardJob | VjpJob;

/** Simulates samples [from, to) of the job; states are kept in, and taken from, this thread's store. */
export function runSamples(job: SampleJob, from: number, to: number, store: SavedStatesStore): void {
  const { circuit, x, weights } = job;
  if (job.kind === 'forward') {
    const bytes = savedStatesBytes(circuit, to - from);
    const keep = job.keep !== null && store.fits(bytes);
    const saved = forwardSamples(circuit, x, weights, from, to, job.expvals, keep, keep ? store.spare(bytes / 8) : null);
    if (saved && job.keep !== null) store.put(`${job.keep}@${from}`, saved);
    return;
  }
  const saved = job.reuse === null ? null : store.take(`${job.reuse}@${from}`, from, to);
  vjpSamples(circuit, x, weights, from, to, job.cotangent, { gradX: job.gradX, weightRows: job.weightRows }, saved);
  if (saved) store.recycle(saved);
}

export interface VjpBatchResult {
  /** [B × nInputs] */
  readonly gradX: Float64Array;
  /** [nWeights], summed over the batch */
  readonly gradWeights: Float64Array;
}

/** What the TF.js kernels call: the whole batch, in this thread or split across threads (same bits either way). */
export interface QnnBatchRunner {
  /** Expectation values [B × nOutputs]; with `keep`, the states for the gradient are kept under that key. */
  forward(circuit: CompiledCircuit, x: Float64Array, weights: Float64Array, batch: number, keep: string | null): Float64Array;
  /** ∂/∂x per sample and ∂/∂weights summed over the batch, reusing the states kept under `reuse` where they are. */
  vjp(
    circuit: CompiledCircuit,
    x: Float64Array,
    weights: Float64Array,
    batch: number,
    cotangent: Float64Array,
    reuse: string | null,
  ): VjpBatchResult;
}

export function checkBatch(
  circuit: CompiledCircuit,
  x: Float64Array,
  weights: Float64Array,
  batch: number,
  cotangent?: Float64Array,
): void {
  const { nInputs, nWeights, nOutputs } = circuit;
  if (!Number.isInteger(batch) || batch < 0) throw new QuantumShapeError(`Batch size must be a non-negative integer, got ${batch}`);
  if (x.length !== batch * nInputs || weights.length !== nWeights || (cotangent && cotangent.length !== batch * nOutputs)) {
    throw new QuantumShapeError(
      `x, weights or cotangent do not fit a batch of ${batch} through a circuit of ${nInputs} inputs, ${nWeights} weights, ${nOutputs} outputs`,
    );
  }
}

/** The serial runner: every sample in this thread, one call of runSamples over the batch. */
export class SerialBatchRunner implements QnnBatchRunner {
  constructor(readonly store = new SavedStatesStore()) {}

  forward(circuit: CompiledCircuit, x: Float64Array, weights: Float64Array, batch: number, keep: string | null): Float64Array {
    checkBatch(circuit, x, weights, batch);
    const expvals = new Float64Array(batch * circuit.nOutputs);
    runSamples({ kind: 'forward', circuit, x, weights, expvals, keep }, 0, batch, this.store);
    return expvals;
  }

  vjp(
    circuit: CompiledCircuit,
    x: Float64Array,
    weights: Float64Array,
    batch: number,
    cotangent: Float64Array,
    reuse: string | null,
  ): VjpBatchResult {
    checkBatch(circuit, x, weights, batch, cotangent);
    const gradX = new Float64Array(batch * circuit.nInputs);
    const weightRows = new Float64Array(batch * circuit.nWeights);
    runSamples({ kind: 'vjp', circuit, x, weights, cotangent, gradX, weightRows, reuse }, 0, batch, this.store);
    return { gradX, gradWeights: sumWeightRows(weightRows, batch, circuit.nWeights) };
  }
}
