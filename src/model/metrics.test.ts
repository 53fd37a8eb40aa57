import { describe, expect, it } from 'vitest';
import { regressionMetrics, targetMetrics } from './metrics';

describe('metrics', () => {
  it('RMSE, MAE and R² against hand-computed values', () => {
    const m = regressionMetrics([1, 2, 3, 4], [1.5, 2, 2, 4]);
    expect(m.n).toBe(4);
    expect(m.rmse).toBeCloseTo(Math.sqrt((0.25 + 1) / 4), 12);
    expect(m.mae).toBeCloseTo(1.5 / 4, 12);
    expect(m.r2).toBeCloseTo(1 - 1.25 / 5, 12);
    expect(regressionMetrics([2, 2], [2, 3]).r2).toBeNaN();
    expect(regressionMetrics([], []).n).toBe(0);
    expect(() => regressionMetrics([1], [1, 2])).toThrow();
  });

  it('z-units of the train target scaler (through the log for a log target) and observation units', () => {
    const scaler = { version: 1 as const, mean: 0.5, sd: 2, constant: false, rows: 10 };
    const observed = [Math.E, Math.E ** 2];
    const predicted = [Math.E ** 2, Math.E ** 2];
    const m = targetMetrics(observed, predicted, scaler, true);
    expect(m.rmse_z).toBeCloseTo(Math.sqrt(0.5 ** 2 / 2), 12); // ln 1 vs 2: 0.5 z apart in one row of two
    expect(m.rmse).toBeCloseTo(Math.sqrt((Math.E ** 2 - Math.E) ** 2 / 2), 12);
    const linear = targetMetrics([1, 3], [2, 3], scaler, false);
    expect(linear.rmse_z).toBeCloseTo(linear.rmse / 2, 12);
    expect(linear.r2_z).toBeCloseTo(linear.r2, 12);
  });
});
