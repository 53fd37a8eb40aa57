/**
 * The patient's curve: the predicted concentration or response of the criterion's endpoint (median and
 * 90 % band), the measured levels, the target line(s) and, when asked, the what-if continuation — one
 * drawing for the Patient view and its printed note. A level below the LOQ is an open triangle at the LOQ.
 */
import * as Plot from '@observablehq/plot';
import type { PredictionBand } from '../../patient/posterior-sampling';
import type { StudySpec } from '../../study/study-spec';
import { axisLabel, basePlot, INK, THRESHOLD_COLOR } from '../explorer/plot-theme';
import type { PatientResult, WhatIf } from './patient-compute';

export const BAND_COLOR = '#2563eb';
export const WHAT_IF_COLOR = '#d97706';

export function patientPlot(result: PatientResult, whatIf: WhatIf | null, spec: StudySpec, width = 760, height = 320): Element {
  const rows = (band: PredictionBand) =>
    Array.from(band.times, (time, i) => ({ time, median: band.median[i], lower: band.lower[i], upper: band.upper[i] }));
  const base = rows(result.band);
  const extra = whatIf ? rows(whatIf.band) : [];
  const levels = result.posterior.record.observations.filter((o) => o.endpoint === result.endpoint);
  const label = result.endpoint === 'pk' ? 'Concentration' : 'Response';
  const unit = result.endpoint === 'pk' ? spec.units.concentration : (spec.units.response ?? '');
  const marks: Plot.Markish[] = [];
  if (extra.length > 0)
    marks.push(
      Plot.areaY(extra, { x: 'time', y1: 'lower', y2: 'upper', fill: WHAT_IF_COLOR, fillOpacity: 0.15 }),
      Plot.line(extra, { x: 'time', y: 'median', stroke: WHAT_IF_COLOR, strokeWidth: 1.5 }),
    );
  marks.push(
    Plot.areaY(base, { x: 'time', y1: 'lower', y2: 'upper', fill: BAND_COLOR, fillOpacity: 0.2 }),
    Plot.line(base, { x: 'time', y: 'median', stroke: BAND_COLOR, strokeWidth: 1.8 }),
    Plot.ruleY(result.targets, { stroke: THRESHOLD_COLOR, strokeDasharray: '6,4' }),
    Plot.dot(
      levels.filter((o) => !o.blq),
      { x: 'time', y: 'value', fill: INK, r: 3.5, tip: true },
    ),
    // A level below the LOQ: an open circle at the LOQ (the level lies somewhere under it).
    Plot.dot(
      levels.filter((o) => o.blq),
      { x: 'time', y: 'value', stroke: INK, fill: 'white', r: 4, symbol: 'triangle2', tip: true },
    ),
    Plot.ruleY([0]),
  );
  const plot = Plot.plot({
    ...basePlot(width, height),
    ariaLabel: `Predicted ${label.toLowerCase()} of this patient over time with its 90 % band, the measured levels and the target`,
    x: { label: `Time (${spec.units.time})` },
    y: { label: axisLabel(label, unit), grid: true, nice: true, zero: true },
    marks,
  });
  // A name on a <g> needs a role (as plot-frames.ts gives the other plots' marks).
  for (const g of plot.querySelectorAll('g[aria-label]:not([role]), g[aria-description]:not([role])')) g.setAttribute('role', 'group');
  return plot;
}
