import { addN, dispose, memory, square, sum, tidy, variableGrads } from '@tensorflow/tfjs-core';
import type { Scalar } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { architecture, DEFAULT_ARCHITECTURE, ENCODER_NAMES, isQuantumEncoder } from '../quantum/resources/architecture';
import { circuitCount, encoderParameters, headParameters } from '../quantum/resources/model-parameters';
import { INFERENCE } from './layers';
import { createNetwork, type NetworkConfig } from './network';
import { SeedStream } from './random';
import { randomInput, useCpuBackend } from './test-support';

beforeAll(useCpuBackend);

const SMALL = architecture({ nInputs: 5, hidden: 8, depth: 2, experts: 4, topK: 2, headHidden: 4, nQubits: 2, nLayers: 1, dropout: 0.1 });

const config = (encoder: NetworkConfig['encoder'], arch = SMALL, extra: Partial<NetworkConfig> = {}): NetworkConfig => ({
  encoder,
  architecture: arch,
  targets: ['pd'],
  classification: false,
  routerNoise: 0.5,
  seed: 7,
  ...extra,
});

describe('encoders', () => {
  for (const arch of [DEFAULT_ARCHITECTURE, SMALL]) {
    it(`parameter counts equal encoderParameters() (H = ${arch.hidden}, n = ${arch.nQubits}, L = ${arch.nLayers})`, () => {
      for (const encoder of ENCODER_NAMES) {
        const net = createNetwork(config(encoder, arch));
        const expected = encoderParameters(encoder, arch);
        const actual = net.parameters.count('encoder/');
        expect({ encoder, ...actual }).toEqual({
          encoder,
          classical: expected.classical,
          quantum: expected.quantum,
          total: expected.total,
        });
        expect(net.parameters.count('head/').total).toBe(headParameters(arch));
        net.dispose();
      }
    });
  }

  for (const arch of [DEFAULT_ARCHITECTURE, SMALL]) {
    it(`width-matched controls: the circuit weights become 4n·n + 4n classical ones per block (n = ${arch.nQubits}, L = ${arch.nLayers})`, () => {
      const n = arch.nQubits;
      for (const encoder of ENCODER_NAMES.filter(isQuantumEncoder)) {
        const quantum = createNetwork(config(encoder, arch));
        const control = createNetwork(config(encoder, arch, { quantumBlocks: 'width-matched-control' }));
        const q = quantum.parameters.count();
        const c = control.parameters.count();
        expect(q.quantum, encoder).toBe(circuitCount(encoder, arch) * 3 * n * arch.nLayers);
        expect({ encoder, ...c }).toEqual({
          encoder,
          classical: q.classical + circuitCount(encoder, arch) * (4 * n * n + 4 * n),
          quantum: 0,
          total: q.classical + circuitCount(encoder, arch) * (4 * n * n + 4 * n),
        });
        expect(
          control.parameters.parameters.some((p) => p.role === 'circuit'),
          encoder,
        ).toBe(false);
        quantum.dispose();
        control.dispose();
      }
    });
  }

  const variants = [
    ...ENCODER_NAMES.map((encoder) => ({ encoder, quantumBlocks: 'circuit' as const })),
    ...ENCODER_NAMES.filter(isQuantumEncoder).map((encoder) => ({ encoder, quantumBlocks: 'width-matched-control' as const })),
  ];
  for (const { encoder, quantumBlocks } of variants) {
    it(`${encoder}${quantumBlocks === 'circuit' ? '' : ' (width-matched control)'}: output shape, and finite non-zero gradients reach every variable`, () => {
      const before = memory().numTensors;
      const net = createNetwork(config(encoder, SMALL, { targets: ['pk', 'pd'], classification: true, quantumBlocks }));
      const x = randomInput(32, SMALL.nInputs, 3);
      const shapes = tidy(() => {
        const out = net.forward(x, INFERENCE);
        return [out.regression.shape, out.logits!.shape, net.encoder.apply(x, { mode: INFERENCE, auxLosses: [], usage: [] }).shape];
      });
      expect(shapes).toEqual([
        [32, 2],
        [32, 1],
        [32, SMALL.hidden],
      ]);
      const random = new SeedStream(11);
      const { value, grads } = variableGrads(() => {
        const out = net.forward(x, { kind: 'training', random });
        return addN([sum(square(out.regression)), sum(out.logits!), out.aux]) as Scalar;
      }, net.parameters.variables);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      for (const p of net.parameters.parameters) {
        const g = grads[p.variable.name].dataSync();
        expect(g.every(Number.isFinite), p.name).toBe(true);
        expect(
          g.some((v) => v !== 0),
          `${p.name} gets a gradient`,
        ).toBe(true);
      }
      dispose([value, x, ...Object.values(grads)]);
      net.dispose();
      expect(memory().numTensors).toBe(before);
    });
  }
});
