/**
 * Per-subject fitted curves on a time grid — IPRED (post-hoc η) and PRED (η = 0) for PK and PD —
 * beside the subject's observations and doses, for the individual-fit plots. Plain arrays, so the
 * result crosses a worker boundary by structured clone.
 */
import { curveGrid } from '../../data/curve-grid';
import type { Dose } from '../dose-history';
import { type DiagnosticsInput, subjectParameters } from './observation-diagnostics';
import { SubjectPredictor } from './subject-predictor';

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
  armDose: number;
  bw: number;
  comed: number;
  doses: Dose[];
  time: number[];
  /** Null for an undosed subject (no drug, no PK curve). */
  pk: CurvePair | null;
  pd: CurvePair;
  observed: { pk: ObservedSeries; pd: ObservedSeries };
}

/** Evenly spaced grid points per curve (dose and observation times are added). */
export const DEFAULT_CURVE_POINTS = 800;

export function individualCurves(input: DiagnosticsInput, points = DEFAULT_CURVE_POINTS): IndividualCurve[] {
  const series = (obs: DiagnosticsInput['observations']['pk'], id: string): ObservedSeries => {
    const o = obs.find((x) => x.id === id);
    return { time: o ? Array.from(o.times) : [], dv: o ? Array.from(o.dv) : [] };
  };
  return input.subjects.map((subject) => {
    const observed = { pk: series(input.observations.pk, subject.id), pd: series(input.observations.pd, subject.id) };
    const time = curveGrid(points, [0, ...subject.doses.map((d) => d.time), ...observed.pk.time, ...observed.pd.time]);
    const predictor = new SubjectPredictor(subject.doses, time, time, input.pdGrid);
    const typical = subjectParameters(input.model, subject);
    const individual = subjectParameters(input.model, subject, input.etas.get(subject.id));
    const dosed = subject.doses.length > 0;
    return {
      id: subject.id,
      armDose: subject.armDose,
      bw: subject.bw,
      comed: subject.comed,
      doses: subject.doses.map((d) => ({ ...d })),
      time,
      pk: dosed ? { ipred: Array.from(predictor.pk(individual.pk)), pred: Array.from(predictor.pk(typical.pk)) } : null,
      pd: { ipred: Array.from(predictor.pd(individual)), pred: Array.from(predictor.pd(typical)) },
      observed,
    };
  });
}
