import { beforeAll, describe, expect, it } from 'vitest';
import { architecture } from '../quantum/resources/architecture';
import { createNetwork } from './network';
import { matrix, mcDropoutSamples, predictZ, runNetwork } from './predict';
import { SeedStream } from './random';
import { randomMatrix, useCpuBackend } from './test-support';

beforeAll(useCpuBackend);

const net = () =>
  createNetwork({
    encoder: 'resmlp-moe',
    architecture: architecture({ nInputs: 4, hidden: 16, depth: 2, experts: 4, topK: 2, headHidden: 8, dropout: 0.3 }),
    targets: ['pd'],
    classification: false,
    routerNoise: 0.5,
    seed: 3,
  });

describe('MC dropout', () => {
  it('each sample is one thinned network: identical rows get identical predictions, whatever the chunking', () => {
    const n = net();
    const row = randomMatrix(1, 4, 5);
    const x = matrix(
      Float32Array.from({ length: 4 * 10 }, (_, i) => row[i % 4]),
      4,
    );
    const samples = mcDropoutSamples(n, x, 4, 9);
    for (const s of samples) for (let i = 1; i < 10; i++) expect(s[i]).toBe(s[0]);
    expect(new Set(samples.map((s) => s[0])).size).toBe(4);
    expect(samples.some((s) => Math.abs(s[0] - predictZ(n, x)[0]) > 1e-4)).toBe(true);
    n.dispose();
  });

  it('chunked passes see the same mask as one pass', () => {
    const n = net();
    const x = matrix(randomMatrix(9, 4, 6), 4);
    const whole = runNetwork(n, x, { kind: 'mc', random: new SeedStream(1) }).regression;
    const chunked = runNetwork(n, x, { kind: 'mc', random: new SeedStream(1) }, 2).regression;
    expect(Array.from(chunked)).toEqual(Array.from(whole));
    n.dispose();
  });
});
