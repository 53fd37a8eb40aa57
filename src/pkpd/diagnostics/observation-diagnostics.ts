/**
 * The observation-level goodness-of-fit row of every fit, per observation the fit used (the study
 * fit computes them: ../population/fit-study.ts `StudyFitResult.observations`; the Doses tab's
 * goodness-of-fit plots and tables read them):
 *   PRED  — population prediction: every η = 0 (for PD, the typical PK drives the typical PD);
 *   IPRED — individual prediction at the post-hoc (empirical Bayes) η of PK and PD;
 *   IWRES — individual weighted residual, (DV − IPRED) / SD of the residual error at IPRED (on the
 *           log scale for an exponential error);
 *   CWRES — conditional weighted residual of the FOCE fit (FOCE linearisation around η̂), carried
 *           over from the fit;
 *   BLQ   — whether the observation is below the limit of quantification (then DV is the limit).
 */

export type DiagnosticTarget = 'pk' | 'pd';

export interface ObservationDiagnostic {
  target: DiagnosticTarget;
  id: string;
  armDose: number;
  /** The subject's group of a study spec (`groupBy`), where the rows come from a study fit. */
  group?: string;
  time: number;
  dv: number;
  pred: number;
  ipred: number;
  iwres: number;
  /** NaN where the fit has none (and at an observation below the limit of quantification). */
  cwres: number;
  /**
   * The observation is below the limit of quantification (censored, used by Beal's M3): `dv` is the
   * limit, IWRES and CWRES are NaN; plots mark it rather than draw it as a measured value.
   */
  blq: boolean;
}
