import { describe, expect, it } from 'vitest';
import { architecture, ENCODER_NAMES } from './architecture';
import { circuitCount, encoderParameters, headParameters } from './model-parameters';

// Hand arithmetic with N_in = 21, H = 64, D = 2, E = 4, n = 8, L = 3:
// dense(21→64) = 1408, dense(64→64) = 4160, LN(64) = 128,
// residual MLP 64→256→64 = 16640 + 16448 = 33088, router 64·4 = 256,
// expert 64→128→64 = 8320 + 8256 = 16576,
// QB(64→256) = 520 + 16 + 288 + 1 + 8448 = 9273, QB(256→64) = 2056 + 16 + 288 + 1 + 2112 = 4473,
// QB(64→64) = 520 + 16 + 288 + 1 + 2112 = 2937, QB(21→64) = 176 + 16 + 288 + 1 + 2112 = 2593, circuit 3·8·3 = 72.
const EXPECTED = {
  mlp: { classical: 1408 + 4160, quantum: 0 },
  resmlp: { classical: 1408 + 2 * (128 + 4160 + 4160) + 128, quantum: 0 },
  moe: { classical: 1408 + 2 * (256 + 4 * 16576 + 128), quantum: 0 },
  'resmlp-moe': { classical: 1408 + 128 + 2 * (33088 + 256 + 4 * 16576 + 128) + 128 + 4160, quantum: 0 },
  'qnn-mlp': { classical: 2593 + 2937, quantum: 2 * 72 },
  'qnn-resmlp-moe': { classical: 1408 + 128 + 2 * (9273 + 4473 + 256 + 4 * 16576 + 128) + 128 + 4160, quantum: 4 * 72 },
  'qmoe-resmlp': { classical: 1408 + 128 + 2 * (33088 + 256 + 4 * 2937 + 128) + 128 + 4160, quantum: 8 * 72 },
} as const;

describe('encoderParameters', () => {
  const config = architecture();

  it.each(ENCODER_NAMES)('counts %s by hand', (encoder) => {
    const p = encoderParameters(encoder, config);
    expect({ classical: p.classical, quantum: p.quantum }).toEqual(EXPECTED[encoder]);
    expect(p.total).toBe(p.classical + p.quantum);
  });

  it('gives the headline numbers', () => {
    expect(encoderParameters('resmlp-moe', config).total).toBe(205_376);
    expect(encoderParameters('qnn-resmlp-moe', config)).toMatchObject({ classical: 166_692, quantum: 288, total: 166_980, circuits: 4 });
    expect(encoderParameters('qmoe-resmlp', config)).toMatchObject({ classical: 96_264, quantum: 576, circuits: 8 });
    expect(encoderParameters('qnn-mlp', config)).toMatchObject({ classical: 5530, quantum: 144, circuits: 2 });
  });

  it('lists parts that add up to the totals', () => {
    for (const encoder of ENCODER_NAMES) {
      const p = encoderParameters(encoder, config);
      expect(p.parts.reduce((s, part) => s + part.classical, 0)).toBe(p.classical);
      expect(p.parts.reduce((s, part) => s + part.quantum, 0)).toBe(p.quantum);
    }
    expect(encoderParameters('resmlp-moe', config).parts.map((part) => part.name)).toEqual([
      'Input dense 21 → 64 + LayerNorm',
      'Block 1 residual MLP 64 → 256 → 64',
      'Block 1 router 64 → 4 (no bias)',
      'Block 1 experts 4 × (64 → 128 → 64)',
      'Block 1 LayerNorm',
      'Block 2 residual MLP 64 → 256 → 64',
      'Block 2 router 64 → 4 (no bias)',
      'Block 2 experts 4 × (64 → 128 → 64)',
      'Block 2 LayerNorm',
      'Output LayerNorm + dense 64 → 64',
    ]);
  });

  it('has circuit weights = circuits × 3·n·L', () => {
    for (const [n, layers] of [
      [1, 1],
      [2, 4],
      [9, 6],
    ]) {
      const c = architecture({ nQubits: n, nLayers: layers });
      for (const encoder of ENCODER_NAMES) {
        const p = encoderParameters(encoder, c);
        expect(p.circuits).toBe(circuitCount(encoder, c));
        expect(p.quantum).toBe(p.circuits * 3 * n * layers);
      }
    }
  });

  it('counts a tiny QNN-MLP by hand (N_in 3, H 4, D 2, 2 qubits, 1 layer)', () => {
    const c = architecture({ nInputs: 3, hidden: 4, headHidden: 2, nQubits: 2, nLayers: 1 });
    // QB(3→4): dense(3→2) 8 + LN(2) 4 + dense(2→8) 24 + α 1 + dense(8→4) 36 = 73; QB(4→4): 10 + 4 + 24 + 1 + 36 = 75
    expect(encoderParameters('qnn-mlp', c)).toMatchObject({ classical: 148, quantum: 12, total: 160 });
    // MLP: dense(3→4) 16 + dense(4→4) 20
    expect(encoderParameters('mlp', c).total).toBe(36);
    // head: dense(4→2) 10 + dense(2→1) 3
    expect(headParameters(c)).toBe(13);
  });

  it('does not depend on qubits or layers for classical encoders, and grows with N_in only in the first layer', () => {
    for (const encoder of ['mlp', 'resmlp', 'moe', 'resmlp-moe'] as const) {
      expect(encoderParameters(encoder, architecture({ nQubits: 2, nLayers: 1 })).total).toBe(
        encoderParameters(encoder, architecture()).total,
      );
    }
    for (const encoder of ENCODER_NAMES) {
      const more =
        encoderParameters(encoder, architecture({ nInputs: 22 })).classical - encoderParameters(encoder, architecture()).classical;
      expect(more).toBe(encoder === 'qnn-mlp' ? 8 : 64);
    }
  });
});

describe('headParameters', () => {
  it('counts dense(64 → 32) + dense(32 → 1)', () => {
    expect(headParameters()).toBe(2080 + 33);
  });
});
