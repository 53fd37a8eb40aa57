/** One subject's observations beside the fit's predictions and residuals (PK on the log scale, PD as fitted). */
export interface ObservationFit {
  id: string;
  times: Float64Array;
  /** Observed values (ng/mL). */
  dv: Float64Array;
  /** Population and individual predictions (ng/mL). */
  pred: Float64Array;
  ipred: Float64Array;
  iwres: Float64Array;
  cwres: Float64Array;
}
