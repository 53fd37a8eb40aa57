/**
 * Trainable parameters as explicit tf.Variables, owned by a ParameterSet and named by path
 * ('encoder/block1/router', 'head/pk/fc1/kernel', …). Initial values are drawn in TypeScript from a
 * seeded stream, so they are identical on every backend. The TF.js variable names are left to TF.js
 * (unique per process); the path names are what serialisation and parameter counts use.
 */
import { dispose, tensor, variable } from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { ModelFormatError } from './errors';
import type { SeedStream } from './random';

/** What a parameter is; decides weight decay (dense kernels only) and the classical/quantum split. */
export type ParameterRole = 'kernel' | 'bias' | 'norm-gain' | 'norm-shift' | 'skip-weight' | 'circuit';

export interface Parameter {
  readonly name: string;
  readonly role: ParameterRole;
  readonly shape: readonly number[];
  readonly variable: Variable;
}

/** One parameter's values as plain numbers (the serialised form). */
export interface ParameterValues {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

export type Initialiser = (size: number, random: SeedStream) => Float32Array;

export const init = {
  /** U[lo, hi). */
  uniform:
    (lo: number, hi: number): Initialiser =>
    (size, random) => {
      const out = new Float32Array(size);
      for (let i = 0; i < size; i++) out[i] = lo + (hi - lo) * random.uniform();
      return out;
    },
  constant:
    (value: number): Initialiser =>
    (size) =>
      new Float32Array(size).fill(value),
};

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export class ParameterSet {
  private readonly list: Parameter[] = [];
  private readonly byName = new Map<string, Parameter>();
  private disposed = false;

  constructor(private readonly random: SeedStream) {}

  add(name: string, role: ParameterRole, shape: readonly number[], initialiser: Initialiser): Variable {
    if (this.byName.has(name)) throw new Error(`parameter ${name} is defined twice`);
    const size = sizeOf(shape);
    const initial = tensor(initialiser(size, this.random), [...shape], 'float32');
    const v = variable(initial, true);
    initial.dispose();
    const p: Parameter = { name, role, shape: [...shape], variable: v };
    this.list.push(p);
    this.byName.set(name, p);
    return v;
  }

  get parameters(): readonly Parameter[] {
    return this.list;
  }

  get variables(): Variable[] {
    return this.list.map((p) => p.variable);
  }

  get(name: string): Parameter {
    const p = this.byName.get(name);
    if (!p) throw new Error(`no parameter named ${name}`);
    return p;
  }

  /** Number of scalar parameters whose name starts with `prefix` (all when omitted), split by role. */
  count(prefix = ''): { classical: number; quantum: number; total: number } {
    let classical = 0;
    let quantum = 0;
    for (const p of this.list) {
      if (!p.name.startsWith(prefix)) continue;
      const n = sizeOf(p.shape);
      if (p.role === 'circuit') quantum += n;
      else classical += n;
    }
    return { classical, quantum, total: classical + quantum };
  }

  /** Copies of the current values (kept outside any tidy); restore with `restore`, free with `dispose`. */
  snapshot(): Tensor[] {
    return this.list.map((p) => p.variable.clone());
  }

  restore(snapshot: readonly Tensor[]): void {
    if (snapshot.length !== this.list.length) throw new Error('snapshot does not match the parameters');
    this.list.forEach((p, i) => p.variable.assign(snapshot[i]));
  }

  /** Values as plain arrays, in definition order. */
  toValues(): ParameterValues[] {
    return this.list.map((p) => ({ name: p.name, shape: [...p.shape], values: Array.from(p.variable.dataSync()) }));
  }

  /** Loads values saved by `toValues`; names, shapes and order must match exactly. */
  loadValues(saved: readonly ParameterValues[]): void {
    if (saved.length !== this.list.length) {
      throw new ModelFormatError(`saved weights have ${saved.length} parameters, the network ${this.list.length}`);
    }
    this.list.forEach((p, i) => {
      const s = saved[i];
      if (s.name !== p.name || s.shape.length !== p.shape.length || s.shape.some((d, k) => d !== p.shape[k])) {
        throw new ModelFormatError(`saved parameter ${s.name} [${s.shape.join(', ')}] does not match ${p.name} [${p.shape.join(', ')}]`);
      }
      if (s.values.length !== sizeOf(p.shape) || !s.values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw new ModelFormatError(`saved parameter ${s.name} has missing or non-finite values`);
      }
      const t = tensor(Float32Array.from(s.values), [...p.shape], 'float32');
      p.variable.assign(t);
      t.dispose();
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    dispose(this.variables);
  }
}
