/**
 * The one cancel signal of the code base: anything with `aborted` — an AbortSignal, or a plain
 * object a worker flips — that a long computation polls to stop early (the population fits, network
 * training and its experiments, the dose searches). Next to the other small shared types every layer
 * may import.
 */
export interface CancelSignal {
  readonly aborted: boolean;
}
