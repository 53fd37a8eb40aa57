/**
 * AdamW (Loshchilov & Hutter): Adam moments with bias correction, and weight decay applied to the
 * parameters directly (decoupled), not through the gradient. Decay acts on dense kernels (and the
 * MoE router) only — not on biases, LayerNorm gains and shifts, the skip weight α or circuit angles:
 * shrinking those towards 0 has no regularising meaning (angles are periodic, a gain of 0 switches
 * a layer off). The learning rate may be changed between steps (LR halving on plateau).
 */
import { add, div, mul, sqrt, square, sub, tidy, variable, zerosLike } from '@tensorflow/tfjs-core';
import type { NamedTensorMap, Variable } from '@tensorflow/tfjs-core';
import type { Parameter } from './parameters';

export interface AdamWOptions {
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export const DEFAULT_ADAMW: AdamWOptions = Object.freeze({
  learningRate: 1e-3,
  weightDecay: 1e-4,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
});

interface Slot {
  readonly parameter: Parameter;
  readonly m: Variable;
  readonly v: Variable;
  readonly decay: boolean;
}

export class AdamW {
  learningRate: number;
  private readonly slots: Slot[];
  private steps = 0;

  constructor(
    parameters: readonly Parameter[],
    private readonly options: AdamWOptions = DEFAULT_ADAMW,
  ) {
    if (!(options.learningRate > 0) || !(options.weightDecay >= 0))
      throw new Error('AdamW: learning rate must be > 0 and weight decay ≥ 0');
    this.learningRate = options.learningRate;
    const zeros = (like: Variable): Variable => {
      const z = zerosLike(like);
      const v = variable(z, false);
      z.dispose();
      return v;
    };
    this.slots = parameters.map((parameter) => ({
      parameter,
      m: zeros(parameter.variable),
      v: zeros(parameter.variable),
      decay: parameter.role === 'kernel',
    }));
  }

  get iterations(): number {
    return this.steps;
  }

  /** One update from gradients keyed by TF.js variable name (as variableGrads returns them). */
  step(grads: NamedTensorMap): void {
    this.steps += 1;
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    const lr = this.learningRate;
    const c1 = 1 - beta1 ** this.steps;
    const c2 = 1 - beta2 ** this.steps;
    tidy(() => {
      for (const { parameter, m, v, decay } of this.slots) {
        const g = grads[parameter.variable.name];
        if (g === undefined) continue;
        const m1 = add(mul(m, beta1), mul(g, 1 - beta1));
        const v1 = add(mul(v, beta2), mul(square(g), 1 - beta2));
        m.assign(m1);
        v.assign(v1);
        const p = parameter.variable;
        const base = decay && weightDecay > 0 ? mul(p, 1 - lr * weightDecay) : p;
        p.assign(sub(base, mul(div(div(m1, c1), add(sqrt(div(v1, c2)), epsilon)), lr)));
      }
    });
  }

  dispose(): void {
    for (const s of this.slots) {
      s.m.dispose();
      s.v.dispose();
    }
  }
}
