/**
 * Evaluation metrics (pure): RMSE, MAE and R² of predictions against observations, and the pair
 * reported per target — in z-units of the TRAIN target scaler (on the model's target scale, ln DV
 * for a log target) and in the observation's unit (the study's; EstData: ng/mL).
 */
import type { TargetScaler } from '../data/features/scaler';

export interface RegressionMetrics {
  readonly n: number;
  readonly rmse: number;
  readonly mae: number;
  /** 1 − SS_res/SS_tot around the mean of the evaluated observations; NaN when they are constant. */
  readonly r2: number;
}

export function regressionMetrics(observed: ArrayLike<number>, predicted: ArrayLike<number>): RegressionMetrics {
  if (observed.length !== predicted.length) throw new Error(`metrics: ${observed.length} observations but ${predicted.length} predictions`);
  const n = observed.length;
  if (n === 0) return { n: 0, rmse: Number.NaN, mae: Number.NaN, r2: Number.NaN };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += observed[i] / n;
  let sse = 0;
  let sae = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    const e = predicted[i] - observed[i];
    sse += e * e;
    sae += Math.abs(e);
    sst += (observed[i] - mean) ** 2;
  }
  return { n, rmse: Math.sqrt(sse / n), mae: sae / n, r2: sst > 0 ? 1 - sse / sst : Number.NaN };
}

/** Metrics of one target (PK or PD), in the shape the headless runner prints. */
export interface TargetMetrics {
  readonly n: number;
  /** z-units of the train target scaler. */
  readonly rmse_z: number;
  readonly mae_z: number;
  readonly r2_z: number;
  /** In the observation's unit (the study's; EstData: ng/mL). */
  readonly rmse: number;
  readonly mae: number;
  readonly r2: number;
}

/** The model's target scale of an observation: ln(DV) for a log target, else DV. */
export const toTargetScale = (dv: number, logTarget: boolean): number => (logTarget ? Math.log(dv) : dv);
export const fromTargetScale = (target: number, logTarget: boolean): number => (logTarget ? Math.exp(target) : target);

/**
 * Metrics of predictions in observation units (`predictedDv`) against observations (`observedDv`);
 * the z-unit metrics compare both mapped through the target transform and `scaler`.
 */
export function targetMetrics(
  observedDv: ArrayLike<number>,
  predictedDv: ArrayLike<number>,
  scaler: TargetScaler,
  logTarget: boolean,
): TargetMetrics {
  const z = (v: number): number => (toTargetScale(v, logTarget) - scaler.mean) / scaler.sd;
  const inZ = regressionMetrics(Float64Array.from(observedDv, z), Float64Array.from(predictedDv, z));
  const inDv = regressionMetrics(observedDv, predictedDv);
  return { n: inDv.n, rmse_z: inZ.rmse, mae_z: inZ.mae, r2_z: inZ.r2, rmse: inDv.rmse, mae: inDv.mae, r2: inDv.r2 };
}
