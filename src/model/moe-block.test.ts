import { addN, dispose, memory, mul, square, sub, sum, tensor2d, tidy, variableGrads, zeros } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor2D } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { architecture } from '../quantum/resources/architecture';
import { AdamW } from './adamw';
import { dense, forwardContext, gelu, INFERENCE, layerNorm } from './layers';
import { createMoeBlock, moeBlock, type MoeOptions, type MoeParams } from './moe-block';
import { ParameterSet } from './parameters';
import { quantumBlock } from './quantum-block';
import { SeedStream } from './random';
import { randomInput, useCpuBackend } from './test-support';

beforeAll(useCpuBackend);

const H = 8;
const options = (extra: Partial<MoeOptions> = {}): MoeOptions => ({
  experts: 4,
  topK: 2,
  expansion: 2,
  activation: 'gelu',
  quantum: null,
  routerNoise: 0,
  dropout: 0,
  ...extra,
});

function block(extra: Partial<MoeOptions> = {}): { ps: ParameterSet; p: MoeParams } {
  const ps = new ParameterSet(new SeedStream(4));
  return { ps, p: createMoeBlock(ps, 'moe', H, options(extra)) };
}

/** aux loss and usage of one inference pass. */
function route(p: MoeParams, x: Tensor2D): { aux: number; usage: number[] } {
  return tidy(() => {
    const ctx = forwardContext(INFERENCE);
    moeBlock(x, p, ctx);
    return { aux: ctx.auxLosses[0].dataSync()[0], usage: Array.from(ctx.usage[0].dataSync()) };
  });
}

describe('routed MoE block', () => {
  it('load-balancing loss: 1 for uniform router probabilities, larger when routing collapses; usage counts B·k slots', () => {
    const x = randomInput(40, H, 1);
    const { ps, p } = block();
    p.router.assign(zeros([H, 4]));
    const uniform = route(p, x);
    expect(uniform.aux).toBeCloseTo(1, 5);
    expect(uniform.usage.reduce((a, b) => a + b, 0)).toBe(40 * 2);
    // inputs made positive and a large weight on expert 1's column: every sample picks expert 1
    const collapse = new Float32Array(H * 4);
    for (let i = 0; i < H; i++) collapse[i * 4] = 50;
    const xPositive = tidy(() => square(x) as Tensor2D);
    p.router.assign(tensor2d(collapse, [H, 4]));
    const collapsed = route(p, xPositive);
    expect(collapsed.usage[0]).toBe(40);
    expect(collapsed.aux).toBeGreaterThan(1.9);
    dispose([x, xPositive]);
    ps.dispose();
  });

  it('the load-balancing gradient evens out routing', () => {
    const raw = randomInput(64, H, 2);
    const x = tidy(() => square(raw) as Tensor2D);
    raw.dispose();
    const { ps, p } = block({ routerNoise: 0.1 });
    const skew = new Float32Array(H * 4);
    for (let i = 0; i < H; i++) skew[i * 4] = 0.5;
    p.router.assign(tensor2d(skew, [H, 4]));
    const before = route(p, x).aux;
    expect(before).toBeGreaterThan(1.3);
    const router = ps.parameters.filter((q) => q.name.endsWith('/router'));
    const optimizer = new AdamW(router, { learningRate: 0.05, weightDecay: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    const random = new SeedStream(3);
    for (let step = 0; step < 30; step++) {
      tidy(() => {
        const { grads } = variableGrads(() => {
          const ctx = forwardContext({ kind: 'training', random });
          moeBlock(x, p, ctx);
          return ctx.auxLosses[0];
        }, [p.router]);
        optimizer.step(grads);
      });
    }
    const after = route(p, x);
    expect(after.aux).toBeLessThan(before - 0.1);
    expect(Math.min(...after.usage)).toBeGreaterThan(0);
    optimizer.dispose();
    x.dispose();
    ps.dispose();
  });

  it('top-k gates renormalised: the block equals LN(x + Σ_topk w_j f_j(x)) computed by hand; sparse and dense dispatch agree', () => {
    const x = randomInput(16, H, 3);
    for (const quantum of [null, architecture({ nInputs: H, hidden: H, nQubits: 2, nLayers: 1 })]) {
      const { ps, p } = block({ quantum, dispatch: 'sparse' });
      const [sparse, dense_, manual] = tidy(() => {
        const a = moeBlock(x, p, forwardContext(INFERENCE));
        const b = moeBlock(x, { ...p, dispatch: 'dense' }, forwardContext(INFERENCE));
        // by hand, in plain arrays
        const logits = Array.from(dense(x, { kernel: p.router, bias: null, inputs: H, outputs: 4 }).dataSync());
        const outs = p.expertParams.map((e) =>
          Array.from((e.kind === 'quantum' ? quantumBlock(x, e.block) : dense(gelu(dense(x, e.fc1)), e.fc2)).dataSync()),
        );
        const mix = new Float32Array(16 * H);
        for (let r = 0; r < 16; r++) {
          const l = logits.slice(r * 4, r * 4 + 4);
          const top = [0, 1, 2, 3].sort((i, j) => l[j] - l[i]).slice(0, 2);
          const z = top.reduce((s, i) => s + Math.exp(l[i]), 0);
          for (const i of top) for (let c = 0; c < H; c++) mix[r * H + c] += (Math.exp(l[i]) / z) * outs[i][r * H + c];
        }
        const manualOut = layerNorm(addN([x, tensor2d(mix, [16, H])]) as Tensor2D, p.norm);
        return [a, b, manualOut].map((t) => Array.from(t.dataSync()));
      });
      sparse.forEach((v, i) => expect(v).toBeCloseTo(manual[i], 4));
      dense_.forEach((v, i) => expect(v).toBeCloseTo(manual[i], 4));
      ps.dispose();
    }
    x.dispose();
  });

  it('sparse dispatch: gradients equal the dense path and no tensors leak', () => {
    const x = randomInput(24, H, 5);
    const { ps, p } = block();
    const before = memory().numTensors;
    const grads = (dispatch: 'dense' | 'sparse') =>
      tidy(() => {
        const { grads: g } = variableGrads(() => {
          const out = moeBlock(x, { ...p, dispatch }, forwardContext(INFERENCE));
          return sum(mul(out, sub(out, 0.3))) as Scalar;
        }, ps.variables);
        return ps.parameters.map((q) => Array.from(g[q.variable.name].dataSync()));
      });
    const a = grads('dense');
    const b = grads('sparse');
    a.forEach((g, i) => g.forEach((v, j) => expect(b[i][j]).toBeCloseTo(v, 4)));
    expect(memory().numTensors).toBe(before);
    x.dispose();
    ps.dispose();
  });
});
