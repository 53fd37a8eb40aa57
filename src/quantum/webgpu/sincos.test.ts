import { describe, expect, it } from 'vitest';
import { softSinCosF32, WGSL_SINCOS } from './sincos';

describe('f32 sin/cos for the kernels', () => {
  it('is accurate to a few f32 ulps over the angles the layer sees', () => {
    let worst = 0;
    for (let i = -200_000; i <= 200_000; i++) {
      const t = Math.fround(i * 1e-4 * Math.PI); // |t| ≤ 20π
      const [c, s] = softSinCosF32(t);
      worst = Math.max(worst, Math.abs(c - Math.cos(t)), Math.abs(s - Math.sin(t)));
    }
    expect(worst).toBeLessThan(3e-7);
  });

  it('stays accurate near multiples of π/2 and for larger angles', () => {
    let worst = 0;
    for (let k = -2000; k <= 2000; k++) {
      for (const d of [0, 1e-7, -1e-7, 1e-3]) {
        const t = Math.fround((k * Math.PI) / 2 + d);
        const [c, s] = softSinCosF32(t);
        worst = Math.max(worst, Math.abs(c - Math.cos(t)), Math.abs(s - Math.sin(t)));
      }
    }
    expect(worst).toBeLessThan(5e-7);
  });

  it('is the function the WGSL declares', () => {
    expect(WGSL_SINCOS).toContain('fn qnnSinCos(t : f32) -> vec2<f32>');
    expect(WGSL_SINCOS).not.toMatch(/\b(sin|cos)\(/);
  });
});
