/**
 * Per-subject fitted curves on a time grid — IPRED (post-hoc η) and PRED (η = 0) for PK and PD —
 * beside the subject's observations and doses (each with its route and, for an infusion, its
 * duration, so a plot can draw it as a bar), for the individual-fit plots. Plain arrays, so the
 * result crosses a worker boundary by structured clone. study-diagnostics.ts makes them from a study fit.
 */
import type { DoseEvent } from '../structural/doses';

export interface CurvePair {
  ipred: number[];
  pred: number[];
}

export interface ObservedSeries {
  time: number[];
  dv: number[];
}

export interface IndividualCurve {
  id: string;
  /** The subject's group: the study's `groupBy` label. */
  group: string;
  armDose: number;
  /** Covariates to show beside the subject, by column name (a study: the columns its effects use). */
  covariates: Record<string, number>;
  /** Every dose of the subject in time order: time, amount, route, infusion duration, steady state. */
  doses: DoseEvent[];
  time: number[];
  /** Null for an undosed subject (no drug, no PK curve). */
  pk: CurvePair | null;
  /** Null where the fit has no PD model. */
  pd: CurvePair | null;
  observed: { pk: ObservedSeries; pd: ObservedSeries };
}

/** Evenly spaced grid points per curve (dose and observation times are added). */
export const DEFAULT_CURVE_POINTS = 800;
