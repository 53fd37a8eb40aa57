/**
 * Running a network over a row-major feature matrix in chunks: deterministic predictions, MC-dropout
 * samples (dropout on, router noise off), and expert usage. Outputs are z-units of the target scalers.
 */
import { sigmoid, tensor2d, tidy } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { INFERENCE, type ForwardMode } from './layers';
import type { Network } from './network';
import { SeedStream } from './random';

/** A row-major float matrix. */
export interface Matrix {
  readonly values: Float32Array;
  readonly rows: number;
  readonly columns: number;
}

export function matrix(values: Float32Array, columns: number): Matrix {
  if (columns <= 0 || values.length % columns !== 0) throw new Error(`matrix of ${values.length} values does not have ${columns} columns`);
  return { values, rows: values.length / columns, columns };
}

export interface NetworkRun {
  /** [rows × targets] z-unit predictions, row-major. */
  readonly regression: Float32Array;
  /** [rows] probability that the classification criterion holds (classification.ts), or null without a head. */
  readonly probability: Float32Array | null;
  /** Samples routed to each expert, per MoE block, summed over the rows. */
  readonly usage: number[][];
}

export const DEFAULT_CHUNK_ROWS = 4096;

function checkInputs(net: Network, x: Matrix): void {
  if (x.columns !== net.config.architecture.nInputs)
    throw new Error(`the network expects ${net.config.architecture.nInputs} features, got ${x.columns}`);
}

/** Outputs of rows [start, start + n): regression, usage per MoE block, then probabilities (if any); the caller frees them. */
function chunkOutputs(net: Network, x: Matrix, start: number, n: number, mode: ForwardMode): Tensor[] {
  return tidy(() => {
    const input = tensor2d(x.values.subarray(start * x.columns, (start + n) * x.columns), [n, x.columns]);
    const out = net.forward(input, mode);
    const kept: Tensor[] = [out.regression, ...out.usage];
    if (out.logits) kept.push(sigmoid(out.logits));
    return kept;
  });
}

/**
 * The chunks' output tensors, one chunk at a time. An MC-dropout pass replays the same seeds in
 * every chunk, so all rows of the pass see the same thinned network.
 */
function* runChunks(
  net: Network,
  x: Matrix,
  mode: ForwardMode,
  chunkRows: number,
): Generator<{ parts: Tensor[]; start: number }, void, void> {
  const passSeed = mode.kind === 'mc' ? mode.random.nextSeed() : 0;
  for (let start = 0; start < x.rows; start += chunkRows) {
    const chunkMode: ForwardMode = mode.kind === 'mc' ? { kind: 'mc', random: new SeedStream(passSeed) } : mode;
    yield { parts: chunkOutputs(net, x, start, Math.min(chunkRows, x.rows - start), chunkMode), start };
  }
}

class RunAssembler {
  readonly regression: Float32Array;
  readonly probability: Float32Array | null;
  usage: number[][] = [];
  private readonly nTargets: number;

  constructor(net: Network, rows: number) {
    this.nTargets = net.config.targets.length;
    this.regression = new Float32Array(rows * this.nTargets);
    this.probability = net.config.classification ? new Float32Array(rows) : null;
  }

  add(start: number, values: Float32Array[]): void {
    const [reg, ...rest] = values;
    this.regression.set(reg, start * this.nTargets);
    const blocks = (this.probability ? rest.slice(0, -1) : rest).map((u) => Array.from(u));
    if (this.probability) this.probability.set(rest[rest.length - 1], start);
    this.usage = this.usage.length === 0 ? blocks : this.usage.map((u, b) => u.map((c, e) => c + blocks[b][e]));
  }

  result(): NetworkRun {
    return { regression: this.regression, probability: this.probability, usage: this.usage };
  }
}

const syncRead = (t: Tensor): Float32Array => t.dataSync() as Float32Array;

/** One pass over all rows in `mode` (inference unless told otherwise), reading results synchronously. */
export function runNetwork(net: Network, x: Matrix, mode: ForwardMode = INFERENCE, chunkRows = DEFAULT_CHUNK_ROWS): NetworkRun {
  checkInputs(net, x);
  const out = new RunAssembler(net, x.rows);
  for (const { parts, start } of runChunks(net, x, mode, chunkRows)) {
    try {
      out.add(start, parts.map(syncRead));
    } finally {
      for (const t of parts) t.dispose();
    }
  }
  return out.result();
}

/** As runNetwork, with asynchronous reads (no synchronous GPU read-back on the webgpu backend). */
export async function runNetworkAsync(
  net: Network,
  x: Matrix,
  mode: ForwardMode = INFERENCE,
  chunkRows = DEFAULT_CHUNK_ROWS,
): Promise<NetworkRun> {
  checkInputs(net, x);
  const out = new RunAssembler(net, x.rows);
  for (const { parts, start } of runChunks(net, x, mode, chunkRows)) {
    try {
      out.add(start, await Promise.all(parts.map(async (t) => (await t.data()) as Float32Array)));
    } finally {
      for (const t of parts) t.dispose();
    }
  }
  return out.result();
}

/** Deterministic predictions [rows × targets]. */
export function predictZ(net: Network, x: Matrix): Float32Array {
  return runNetwork(net, x).regression;
}

/** `samples` MC-dropout passes (seeded; default 30 samples), each [rows × targets]. */
export function mcDropoutSamples(net: Network, x: Matrix, samples = 30, seed = 0): Float32Array[] {
  if (!Number.isInteger(samples) || samples < 1) throw new Error('MC dropout needs at least one sample');
  const random = new SeedStream(seed).fork('mc-dropout');
  return Array.from({ length: samples }, () => runNetwork(net, x, { kind: 'mc', random }).regression);
}

/** Mean and SD (population) over samples, element-wise. */
export function meanAndSd(samples: readonly ArrayLike<number>[]): { mean: Float64Array; sd: Float64Array } {
  const n = samples.length;
  const size = samples[0].length;
  const mean = new Float64Array(size);
  const sd = new Float64Array(size);
  for (const s of samples) for (let i = 0; i < size; i++) mean[i] += s[i] / n;
  for (const s of samples) for (let i = 0; i < size; i++) sd[i] += (s[i] - mean[i]) ** 2 / n;
  for (let i = 0; i < size; i++) sd[i] = Math.sqrt(sd[i]);
  return { mean, sd };
}

/** Samples routed to each expert per MoE block (deterministic routing, no noise). */
export function expertUsage(net: Network, x: Matrix): number[][] {
  return runNetwork(net, x).usage;
}
