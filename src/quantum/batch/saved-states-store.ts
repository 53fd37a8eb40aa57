import type { SavedStates } from '../simulator';

/** What one thread keeps between a forward pass and its gradient: at most this many bytes and entries. */
export const SAVED_STATES_BUDGET_BYTES = 64 * 1024 * 1024;
export const SAVED_STATES_MAX_ENTRIES = 16;
/** Buffers kept for reuse once their states are used (one per quantum layer of a model is typical). */
export const SPARE_BUFFERS = 4;

/** The memory an entry holds: its whole buffer (its states may fill only the start of a reused one). */
function heldBy(saved: SavedStates): number {
  return saved.data.buffer.byteLength;
}

/**
 * The states forward passes kept for their adjoint sweeps, by key. Taking an entry removes it (a gradient uses
 * its forward's states once); the oldest entries go first when the bytes or the count exceed the limits, so
 * states of a forward pass whose gradient never comes do not stay.
 */
export class SavedStatesStore {
  private readonly entries = new Map<string, SavedStates>();
  private bytes = 0;
  /** Buffers whose states were used, newest first, for the next forward passes to write into (fewer fresh allocations). */
  private readonly spares: Float64Array[] = [];

  constructor(
    readonly budgetBytes = SAVED_STATES_BUDGET_BYTES,
    readonly maxEntries = SAVED_STATES_MAX_ENTRIES,
  ) {}

  /** Whether `bytes` more fit at all (an entry larger than the budget is not kept). */
  fits(bytes: number): boolean {
    return bytes <= this.budgetBytes;
  }

  put(key: string, saved: SavedStates): void {
    this.delete(key);
    if (!this.fits(heldBy(saved))) return;
    this.entries.set(key, saved);
    this.bytes += heldBy(saved);
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.budgetBytes && this.entries.size <= this.maxEntries) break;
      this.delete(oldest);
    }
  }

  /** The entry under `key` if it holds samples [from, to), removed from the store; else null (and any entry removed). */
  take(key: string, from: number, to: number): SavedStates | null {
    const saved = this.entries.get(key) ?? null;
    this.delete(key);
    return saved && saved.from === from && saved.to === to ? saved : null;
  }

  /** A buffer of at least `length` numbers that a gradient has finished with, or null; removed from the spares. */
  spare(length: number): Float64Array | null {
    const i = this.spares.findIndex((buffer) => buffer.length >= length);
    return i < 0 ? null : this.spares.splice(i, 1)[0];
  }

  /** Hands back the buffer of states a gradient has used (its whole allocation), to be written by a later forward pass. */
  recycle(saved: SavedStates): void {
    const whole = new Float64Array(saved.data.buffer);
    this.spares.unshift(whole);
    let bytes = 0;
    const kept = this.spares.findIndex((buffer, i) => i >= SPARE_BUFFERS || (bytes += buffer.byteLength) > this.budgetBytes / 2);
    if (kept >= 0) this.spares.length = kept;
  }

  get size(): number {
    return this.entries.size;
  }

  get heldBytes(): number {
    return this.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.spares.length = 0;
    this.bytes = 0;
  }

  private delete(key: string): void {
    const saved = this.entries.get(key);
    if (!saved) return;
    this.entries.delete(key);
    this.bytes -= heldBy(saved);
  }
}
