/**
 * A trained model's predictions on a set of subjects, as plain data (arrays and numbers only, so
 * it crosses a worker boundary by structured clone): observation-level points with residuals,
 * per-subject prediction curves on a time grid, and the metrics of the points.
 */
import type { TargetMetrics } from '../metrics';

export type ReportTarget = 'pk' | 'pd';

export interface ReportPoint {
  subject: string;
  time: number;
  observed: number;
  predicted: number;
  /** MC-dropout SD (DV units) or null */
  sd: number | null;
  residual: number;
  /** residual in z-units of the train target scaler */
  residualZ: number;
}

export interface SubjectCurve {
  subject: string;
  arm: string;
  /** The arm dose (mg; 0 = placebo), for arm colours. */
  armDose?: number;
  time: number[];
  predicted: number[];
  /** 2.5 % / 97.5 % MC-dropout quantiles (DV units), null without MC dropout */
  lower: number[] | null;
  upper: number[] | null;
  observedTime: number[];
  observed: number[];
  doses: { time: number; amount: number }[];
}

export interface TargetReport {
  target: ReportTarget;
  /** The endpoint's name in the study ("Theophylline"; "PK"/"PD" without a study). */
  name: string;
  unit: string;
  /** The study's time and amount units (axes, dose markers). */
  time: string;
  amount: string;
  logTarget: boolean;
  points: ReportPoint[];
  curves: SubjectCurve[];
  /**
   * Metrics of the deterministic predictions (dropout off) at the points' observations: the numbers
   * of the model's metrics table (same subjects, same predictions).
   */
  metrics: TargetMetrics;
  /** With MC dropout, the metrics of the points as plotted (the mean of the MC samples); null or absent without. */
  mcMetrics?: TargetMetrics | null;
}

export interface ModelReport {
  /** 'external': every subject of another file of the study's layout (external validation). */
  subjectSet: 'validation' | 'training' | 'test' | 'external';
  mcSamples: number;
  /** The study's time and amount units. */
  time: string;
  amount: string;
  /** The criterion of the study's questions, drawn on its endpoint's plots (its threshold or range); null: none. */
  criterion: { target: ReportTarget; levels: number[]; label: string } | null;
  targets: Partial<Record<ReportTarget, TargetReport>>;
}

export interface TrainingCurvePoint {
  branch: string;
  epoch: number;
  trainLoss: number;
  valLoss: number | null;
}
