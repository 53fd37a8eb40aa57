/**
 * Prediction correction of a VPC (Bergstrand, Hooker, Wallin & Karlsson 2011, AAPS J 13:143): the
 * observations and every simulated replicate are normalised by the typical prediction of their bin,
 * so that a bin mixing doses, covariates or sampling times shows the variability the model predicts
 * rather than the spread of its design:
 *
 *   proportional (the published form with lower bound 0; data whose error is log-normal or grows
 *   with the prediction):  pcY = Y · PRED_bin / PRED,
 *   additive (where some PRED ≤ 0, e.g. a change from baseline):  pcY = Y + PRED_bin − PRED,
 *
 * PRED the observation's population prediction (every η = 0, the subject's covariates and doses) and
 * PRED_bin the median PRED of its bin. The binning and summary are the VPC's own (vpc.ts: the same
 * layout, `binPercentiles`, `summariseVpc`); only the values differ (and the limits of quantification,
 * corrected as the values, so that what was below its limit stays below it). The variability correction
 * (pvcVPC) is not applied.
 */
import { quantileOfSorted } from '../../data/quantile';
import type { VpcLayout, VpcTarget } from './vpc';

export type PredictionCorrection = 'proportional' | 'additive';

export interface PcVpcTarget extends VpcTarget {
  /** How DV and simulations were corrected (see the top comment). */
  correction: PredictionCorrection;
  /** Median PRED of each bin, [stratum][bin] as `strata[s].bins[b]`. */
  binPred: number[][];
}

export interface PredictionCorrector {
  correction: PredictionCorrection;
  binPred: number[][];
  /** The layout with its observations corrected. */
  layout: VpcLayout;
  /** Corrects a flat array of the target's values (the layout's positions) into `out`. */
  correct(values: Float64Array, out?: Float64Array): Float64Array;
}

/** The correction of a VPC layout's target from the population prediction of each of its positions. */
export function predictionCorrector(layout: VpcLayout, pred: Float64Array): PredictionCorrector {
  if (pred.length !== layout.times.length)
    throw new Error(`predictionCorrector: ${pred.length} PRED for ${layout.times.length} observations`);
  const correction: PredictionCorrection = pred.every((p) => p > 0) ? 'proportional' : 'additive';
  const binPredOf = new Float64Array(pred.length).fill(Number.NaN);
  const binPred = layout.members.map((stratum) =>
    stratum.map((bin) => {
      const median = quantileOfSorted(Float64Array.from(bin, (k) => pred[k]).sort(), 0.5);
      for (const k of bin) binPredOf[k] = median;
      return median;
    }),
  );
  const correct = (values: Float64Array, out = new Float64Array(values.length)): Float64Array => {
    for (let k = 0; k < values.length; k++) {
      out[k] = correction === 'proportional' ? (values[k] * binPredOf[k]) / pred[k] : values[k] + binPredOf[k] - pred[k];
    }
    return out;
  };
  // The correction is increasing in the value (PRED > 0, or a shift), so a value is below its limit
  // exactly when its corrected value is below the corrected limit: censoring is kept as it was.
  const lloq = layout.lloq ? correct(layout.lloq) : null;
  return { correction, binPred, layout: { ...layout, observed: correct(layout.observed), lloq }, correct };
}
