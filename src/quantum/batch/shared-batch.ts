/**
 * The quantum layer's batch split across threads through shared memory (issue 16). The TF.js kernels are
 * synchronous, so the thread running them (the training worker, or the headless page) cannot await other
 * workers: it hands each sub-worker a range of the batch's samples through a SharedArrayBuffer, simulates its own
 * range meanwhile, and waits for the others with Atomics (Atomics.wait where the thread may block, else by
 * polling: a page's main thread may not block). Every range is simulated by `runSamples`, the serial runner's
 * code; the weight gradient is the per-sample rows added up in sample order afterwards, so the results are the
 * same bits as on one thread.
 *
 * Memory: `control` (Int32Array, CONTROL_WORDS per sub-worker) and `data` (Float64Array) are shared. A batch
 * larger than `data` holds runs in chunks. Each thread keeps the states of its own ranges for the gradient
 * (SavedStatesStore), keyed by the forward pass and the chunk.
 *
 * A sub-worker that reports an error, or does not answer within `timeoutMs`, makes the runner give up on
 * threads: that call is recomputed, and every later one runs, in this thread alone (same results).
 */
import type { CompiledCircuit } from '../compile';
import { compileCircuit } from '../compile';
import { sumWeightRows } from '../simulator';
import { reuploadingStronglyEntangling } from '../template';
import { circuitFingerprint } from '../webgpu/kernel-plan';
import { checkBatch, type QnnBatchRunner, runSamples, type SampleJob, SerialBatchRunner, type VjpBatchResult } from './sample-job';
import { SavedStatesStore } from './saved-states-store';

/** Int32 words per sub-worker in the control buffer. */
export const CONTROL_WORDS = 16;
const REQUEST = 0; // the main thread's job number (−1: stop)
const DONE = 1; // the last job number the sub-worker finished
const STATUS = 2; // 0 ok, 1 failed
const KIND = 3; // 0 forward, 1 vjp
const N_QUBITS = 4;
const N_LAYERS = 5;
const CHUNK = 6; // samples in the shared buffers
const FROM = 7;
const TO = 8;
const KEEP = 9; // forward: key to keep the states under (−1: do not keep); vjp: key to reuse (−1: none)
const CHUNK_START = 10;

/** Default size of the shared data buffer: 8 MiB, about 6,900 samples of an 8-qubit, 3-layer layer per chunk. */
export const SHARED_DATA_BYTES = 8 * 1024 * 1024;
/** How long the main thread waits for a sub-worker's range before giving up on threads. */
export const SUB_WORKER_TIMEOUT_MS = 60_000;

/** The one template sub-workers rebuild from (n, L); other circuits run in the calling thread. */
const SHARED_TEMPLATE = reuploadingStronglyEntangling;

export interface SharedBatchBuffers {
  readonly control: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
}

export function createSharedBatchBuffers(subWorkers: number, dataBytes = SHARED_DATA_BYTES): SharedBatchBuffers {
  return { control: new SharedArrayBuffer(4 * CONTROL_WORDS * Math.max(1, subWorkers)), data: new SharedArrayBuffer(dataBytes) };
}

/** Contiguous, near-equal ranges [from, to) of `samples` samples for `parts` threads, in sample order. */
export function sampleRanges(samples: number, parts: number): { from: number; to: number }[] {
  return Array.from({ length: parts }, (_, p) => ({
    from: Math.floor((p * samples) / parts),
    to: Math.floor(((p + 1) * samples) / parts),
  }));
}

/** Where each array of a chunk of `samples` samples lies in the data buffer (in float64 numbers). */
function chunkLayout(circuit: CompiledCircuit, samples: number) {
  const { nInputs: i, nWeights: w, nOutputs: o } = circuit;
  const x = 0,
    weights = x + samples * i,
    cotangent = weights + w,
    expvals = cotangent + samples * o,
    gradX = expvals + samples * o,
    weightRows = gradX + samples * i,
    end = weightRows + samples * w;
  return { x, weights, cotangent, expvals, gradX, weightRows, end };
}

/** The most samples of the circuit one chunk of `data` holds. */
export function chunkCapacity(circuit: CompiledCircuit, floats: number): number {
  const { nInputs: i, nWeights: w, nOutputs: o } = circuit;
  return Math.max(0, Math.floor((floats - w) / (2 * i + 2 * o + w)));
}

/** The job a chunk's arrays in `data` describe: views, no copies. */
function chunkJob(circuit: CompiledCircuit, data: Float64Array, samples: number, kind: 'forward' | 'vjp', key: string | null): SampleJob {
  const at = chunkLayout(circuit, samples);
  const view = (start: number, length: number): Float64Array => data.subarray(start, start + length);
  const { nInputs, nWeights, nOutputs } = circuit;
  const x = view(at.x, samples * nInputs);
  const weights = view(at.weights, nWeights);
  if (kind === 'forward') return { kind, circuit, x, weights, expvals: view(at.expvals, samples * nOutputs), keep: key };
  return {
    kind,
    circuit,
    x,
    weights,
    cotangent: view(at.cotangent, samples * nOutputs),
    gradX: view(at.gradX, samples * nInputs),
    weightRows: view(at.weightRows, samples * nWeights),
    reuse: key,
  };
}

const stateKey = (id: number, chunkStart: number): string | null => (id < 0 ? null : `${id}#${chunkStart}`);

/**
 * A sub-worker's side: waits for jobs on its control words, simulates its range with runSamples, reports.
 * Never returns until the main thread asks it to stop (REQUEST −1).
 */
export function serveSharedBatch(buffers: SharedBatchBuffers, slot: number): void {
  const control = new Int32Array(buffers.control);
  const data = new Float64Array(buffers.data);
  const base = slot * CONTROL_WORDS;
  const store = new SavedStatesStore();
  const circuits = new Map<string, CompiledCircuit>();
  // the main thread numbers its jobs from 1: a job (or a stop) posted before this thread got here is not missed
  let seen = 0;
  for (;;) {
    Atomics.wait(control, base + REQUEST, seen);
    const request = Atomics.load(control, base + REQUEST);
    if (request === seen) continue;
    if (request < 0) return;
    seen = request;
    let status = 0;
    try {
      const word = (k: number): number => control[base + k];
      const shape = `${word(N_QUBITS)}x${word(N_LAYERS)}`;
      let circuit = circuits.get(shape);
      if (!circuit) circuits.set(shape, (circuit = compileCircuit(SHARED_TEMPLATE(word(N_QUBITS), word(N_LAYERS)))));
      const job = chunkJob(circuit, data, word(CHUNK), word(KIND) === 0 ? 'forward' : 'vjp', stateKey(word(KEEP), word(CHUNK_START)));
      runSamples(job, word(FROM), word(TO), store);
    } catch {
      status = 1;
    }
    Atomics.store(control, base + STATUS, status);
    Atomics.store(control, base + DONE, request);
    Atomics.notify(control, base + DONE);
  }
}

/** Whether this thread may block in Atomics.wait (a worker, Node; not a page's main thread). */
export function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

class SubWorkerFailed extends Error {}

export interface SharedBatchRunnerOptions {
  /** Block in Atomics.wait (default: where this thread may), else poll. */
  readonly block?: boolean;
  readonly timeoutMs?: number;
}

/** The main thread's side: splits each batch across itself and `subWorkers` sub-workers serving the buffers. */
export class SharedBatchRunner implements QnnBatchRunner {
  readonly store = new SavedStatesStore();
  private readonly control: Int32Array;
  private readonly data: Float64Array;
  private readonly serial = new SerialBatchRunner(this.store);
  private readonly block: boolean;
  private readonly timeoutMs: number;
  private readonly shareable = new WeakMap<CompiledCircuit, boolean>();
  /** Forward keys (the kernels' strings) → the numbers the control words carry. */
  private readonly keyIds = new Map<string, number>();
  private nextKeyId = 0;
  private request = 0;
  private broken = false;

  constructor(
    buffers: SharedBatchBuffers,
    readonly subWorkers: number,
    options: SharedBatchRunnerOptions = {},
  ) {
    this.control = new Int32Array(buffers.control);
    this.data = new Float64Array(buffers.data);
    this.block = options.block ?? canBlock();
    this.timeoutMs = options.timeoutMs ?? SUB_WORKER_TIMEOUT_MS;
    // go on from the job numbers already posted (a runner made again on the same buffers)
    for (let s = 0; s < subWorkers; s++) this.request = Math.max(this.request, Atomics.load(this.control, s * CONTROL_WORDS + REQUEST));
  }

  /** False once a sub-worker failed or did not answer: from then on everything runs in this thread. */
  get threaded(): boolean {
    return !this.broken;
  }

  forward(circuit: CompiledCircuit, x: Float64Array, weights: Float64Array, batch: number, keep: string | null): Float64Array {
    checkBatch(circuit, x, weights, batch);
    if (!this.splits(circuit, batch)) return this.serial.forward(circuit, x, weights, batch, keep);
    const expvals = new Float64Array(batch * circuit.nOutputs);
    const id = keep === null ? -1 : this.keyId(keep);
    return this.attempt(
      () => this.run(circuit, 'forward', x, weights, null, batch, id, { expvals }) && expvals,
      () => this.serial.forward(circuit, x, weights, batch, null),
    );
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
    const id = reuse === null ? -1 : (this.keyIds.get(reuse) ?? -1);
    if (reuse !== null) this.keyIds.delete(reuse);
    if (!this.splits(circuit, batch)) return this.serial.vjp(circuit, x, weights, batch, cotangent, reuse);
    const gradX = new Float64Array(batch * circuit.nInputs);
    const weightRows = new Float64Array(batch * circuit.nWeights);
    return this.attempt(
      () =>
        this.run(circuit, 'vjp', x, weights, cotangent, batch, id, { gradX, weightRows }) && {
          gradX,
          gradWeights: sumWeightRows(weightRows, batch, circuit.nWeights),
        },
      () => this.serial.vjp(circuit, x, weights, batch, cotangent, null),
    );
  }

  /** Asks every sub-worker to return (their workers are the caller's to terminate). */
  stop(): void {
    this.broken = true;
    for (let s = 0; s < this.subWorkers; s++) {
      Atomics.store(this.control, s * CONTROL_WORDS + REQUEST, -1);
      Atomics.notify(this.control, s * CONTROL_WORDS + REQUEST);
    }
  }

  private attempt<T>(threaded: () => T, alone: () => T): T {
    try {
      return threaded();
    } catch (error) {
      if (!(error instanceof SubWorkerFailed)) throw error;
      this.broken = true;
      return alone();
    }
  }

  private keyId(key: string): number {
    const id = this.nextKeyId++;
    this.keyIds.set(key, id);
    // keys whose gradient never came: the kernels remember 16 forward passes
    if (this.keyIds.size > 64) this.keyIds.delete(this.keyIds.keys().next().value as string);
    return id;
  }

  /** Whether this batch is split: threads available, a circuit the sub-workers can rebuild, more than one sample. */
  private splits(circuit: CompiledCircuit, batch: number): boolean {
    if (this.broken || this.subWorkers < 1 || batch < 2) return false;
    let ok = this.shareable.get(circuit);
    if (ok === undefined) {
      const layers = circuit.nWeights / (3 * circuit.nQubits);
      ok =
        Number.isInteger(layers) &&
        layers >= 1 &&
        circuitFingerprint(circuit) === circuitFingerprint(compileCircuit(SHARED_TEMPLATE(circuit.nQubits, layers))) &&
        chunkCapacity(circuit, this.data.length) >= 2;
      this.shareable.set(circuit, ok);
    }
    return ok;
  }

  private run(
    circuit: CompiledCircuit,
    kind: 'forward' | 'vjp',
    x: Float64Array,
    weights: Float64Array,
    cotangent: Float64Array | null,
    batch: number,
    keyId: number,
    out: { expvals?: Float64Array; gradX?: Float64Array; weightRows?: Float64Array },
  ): true {
    const { nInputs, nWeights, nOutputs, nQubits } = circuit;
    const capacity = chunkCapacity(circuit, this.data.length);
    const parts = this.subWorkers + 1;
    for (let chunkStart = 0; chunkStart < batch; chunkStart += capacity) {
      const samples = Math.min(capacity, batch - chunkStart);
      const at = chunkLayout(circuit, samples);
      this.data.set(x.subarray(chunkStart * nInputs, (chunkStart + samples) * nInputs), at.x);
      this.data.set(weights, at.weights);
      if (cotangent) this.data.set(cotangent.subarray(chunkStart * nOutputs, (chunkStart + samples) * nOutputs), at.cotangent);
      const ranges = sampleRanges(samples, parts);
      const request = ++this.request;
      for (let s = 0; s < this.subWorkers; s++) {
        const base = s * CONTROL_WORDS;
        const words = [
          kind === 'forward' ? 0 : 1,
          nQubits,
          nWeights / (3 * nQubits),
          samples,
          ranges[s + 1].from,
          ranges[s + 1].to,
          keyId,
          chunkStart,
        ];
        words.forEach((value, k) => (this.control[base + KIND + k] = value));
        Atomics.store(this.control, base + REQUEST, request);
        Atomics.notify(this.control, base + REQUEST);
      }
      runSamples(chunkJob(circuit, this.data, samples, kind, stateKey(keyId, chunkStart)), ranges[0].from, ranges[0].to, this.store);
      for (let s = 0; s < this.subWorkers; s++) this.awaitSubWorker(s, request);
      if (out.expvals) out.expvals.set(this.data.subarray(at.expvals, at.expvals + samples * nOutputs), chunkStart * nOutputs);
      if (out.gradX) out.gradX.set(this.data.subarray(at.gradX, at.gradX + samples * nInputs), chunkStart * nInputs);
      if (out.weightRows) out.weightRows.set(this.data.subarray(at.weightRows, at.weightRows + samples * nWeights), chunkStart * nWeights);
    }
    return true;
  }

  private awaitSubWorker(slot: number, request: number): void {
    const index = slot * CONTROL_WORDS + DONE;
    const deadline = performance.now() + this.timeoutMs;
    for (;;) {
      const done = Atomics.load(this.control, index);
      if (done === request) break;
      const left = deadline - performance.now();
      if (left <= 0) throw new SubWorkerFailed(`sub-worker ${slot} did not answer in ${this.timeoutMs} ms`);
      if (this.block) Atomics.wait(this.control, index, done, left);
    }
    if (Atomics.load(this.control, slot * CONTROL_WORDS + STATUS) !== 0) throw new SubWorkerFailed(`sub-worker ${slot} failed`);
  }
}
