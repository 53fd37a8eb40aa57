import type { CompiledCircuit } from '../compile';

/** How many forward passes are remembered for their gradients (older ones fall back to recomputing). */
export const FORWARD_RECORDS = 16;

interface ForwardRecord {
  readonly key: string;
  readonly circuit: CompiledCircuit;
  readonly x: Float64Array;
  readonly weights: Float64Array;
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * The kernels' memory of recent forward passes recorded for a gradient: a key per (circuit, x, weights). The
 * gradient kernel asks for the key of its inputs: found only when circuit, x and weights are the same values
 * (Object.is per number: −0 and NaN too), so kept states are never used for other inputs. A record is used once.
 */
export class ForwardRecords {
  private readonly records: ForwardRecord[] = [];
  private next = 0;

  constructor(readonly limit = FORWARD_RECORDS) {}

  record(circuit: CompiledCircuit, x: Float64Array, weights: Float64Array): string {
    const key = `f${this.next++}`;
    this.records.push({ key, circuit, x, weights });
    if (this.records.length > this.limit) this.records.shift();
    return key;
  }

  /** The key of the newest record of these inputs, removed; null when none matches. */
  take(circuit: CompiledCircuit, x: Float64Array, weights: Float64Array): string | null {
    for (let i = this.records.length - 1; i >= 0; i--) {
      const r = this.records[i];
      if (r.circuit === circuit && sameValues(r.x, x) && sameValues(r.weights, weights)) {
        this.records.splice(i, 1);
        return r.key;
      }
    }
    return null;
  }

  get size(): number {
    return this.records.length;
  }

  clear(): void {
    this.records.length = 0;
  }
}
