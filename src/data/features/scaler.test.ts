import { describe, expect, it } from 'vitest';
import {
  featureScalerFromJSON,
  fitFeatureScaler,
  fitTargetScaler,
  scaleFeatures,
  scaleTarget,
  scalerToJSON,
  targetScalerFromJSON,
  unscaleFeatures,
  unscaleTarget,
} from './scaler';

// 4 rows × 3 features: A varies, B constant, C varies.
const NAMES = ['A', 'B', 'C'];
const M = Float64Array.from([1, 5, 10, 2, 5, 20, 3, 5, 30, 4, 5, 40]);

describe('z-score scaler', () => {
  it('fits mean and population SD per feature; constant features get SD 1 and a flag', () => {
    const s = fitFeatureScaler(M, NAMES);
    expect(s.mean).toEqual([2.5, 5, 25]);
    expect(s.sd[0]).toBeCloseTo(Math.sqrt(1.25), 14);
    expect(s.sd[1]).toBe(1);
    expect(s.sd[2]).toBeCloseTo(Math.sqrt(125), 12);
    expect(s.constant).toEqual([false, true, false]);
    expect(s.rows).toBe(4);
  });

  it('fits on the given training rows only', () => {
    const s = fitFeatureScaler(M, NAMES, [0, 1]);
    expect(s.mean).toEqual([1.5, 5, 15]);
    expect(s.rows).toBe(2);
  });

  it('transforms and inverts (round trip), constant columns map to 0', () => {
    const s = fitFeatureScaler(M, NAMES);
    const z = scaleFeatures(s, M);
    expect(z).toBeInstanceOf(Float32Array);
    expect(z[1]).toBe(0);
    expect(z[0]).toBeCloseTo(-1.5 / Math.sqrt(1.25), 6);
    const z64 = scaleFeatures(s, M, new Float64Array(M.length));
    const back = unscaleFeatures(s, z64);
    back.forEach((v, i) => expect(v).toBeCloseTo(M[i], 12));
    let mean = 0;
    for (let i = 0; i < 4; i++) mean += z64[i * 3 + 2] / 4;
    expect(mean).toBeCloseTo(0, 12);
  });

  it('target scaler round trip', () => {
    const y = [Math.log(0.5), Math.log(2), Math.log(8), Math.log(0.01)];
    const s = fitTargetScaler(y);
    const z = scaleTarget(s, y, new Float64Array(4));
    unscaleTarget(s, z).forEach((v, i) => expect(v).toBeCloseTo(y[i], 12));
    expect(fitTargetScaler(y, [0, 1]).mean).toBeCloseTo((y[0] + y[1]) / 2, 14);
    expect(fitTargetScaler([3, 3]).constant).toBe(true);
  });

  it('serialises to JSON and back', () => {
    const s = fitFeatureScaler(M, NAMES);
    const back = featureScalerFromJSON(scalerToJSON(s));
    expect(back).toEqual(s);
    expect(Array.from(scaleFeatures(back, M))).toEqual(Array.from(scaleFeatures(s, M)));
    const t = fitTargetScaler([1, 2, 3]);
    expect(targetScalerFromJSON(scalerToJSON(t))).toEqual(t);
    expect(() => featureScalerFromJSON('{"version":1,"names":["A"],"mean":[0],"sd":[0],"constant":[false]}')).toThrow();
    expect(() => targetScalerFromJSON('{}')).toThrow();
  });

  it('rejects non-finite values and shape mismatches', () => {
    expect(() => fitFeatureScaler([1, Number.NaN], ['A', 'B'])).toThrow(/B is NaN/);
    expect(() => fitFeatureScaler([1, 2, 3], ['A', 'B'])).toThrow(/multiple/);
    expect(() => fitFeatureScaler([], ['A'])).toThrow(/no training rows/);
  });
});
