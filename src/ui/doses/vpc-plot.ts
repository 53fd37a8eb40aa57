/**
 * A visual predictive check as small multiples, one panel per stratum (the study's groups, at most six;
 * "other" pools the rest): the observed 5th, 50th and 95th percentiles per time bin (lines) over the
 * 90 % intervals of the simulated percentiles (bands: blue for the outer percentiles, red for the
 * median), with the observations faint behind them and the dose questions' criterion where it
 * concerns the endpoint. Labels from the study spec (diagnostics-model.ts). The prediction-corrected
 * VPC (src/pkpd/diagnostics/pc-vpc.ts: the same layout, corrected values) is drawn the same way, its
 * axis and description saying so, without the criterion (corrected values are not the subjects' own).
 */
import * as Plot from '@observablehq/plot';
import type { PredictionCorrection } from '../../pkpd/diagnostics/pc-vpc';
import type { VpcBin, VpcTarget } from '../../pkpd/diagnostics/vpc';
import { referenceFor } from '../explorer/endpoint-time-plot';
import { referenceMarks } from '../explorer/mean-curve-plot';
import { formatSignificant } from '../../text/format';
import { logTicksOf } from '../log-ticks';
import { facetColumns } from '../model/report-plot-data';
import { maxOf, minOf } from '../../data/min-max';
import { basePlot, formatTime, INK, MUTED, timeTickFormat, timeTicks } from '../explorer/plot-theme';
import { correctedAxisLabel, type DiagnosticsLabels, timeAxisLabel, valueAxisLabel } from './diagnostics-model';

const OUTER_BAND = '#6baed6';
const MEDIAN_BAND = '#fb6a4a';
const PERCENTILES = ['p05', 'p50', 'p95'] as const;

interface Facet {
  fx: number;
  fy: number;
}

/** `corrected`: the values are prediction-corrected (a `PcVpcTarget`'s correction). */
export function vpcPlot(vpc: VpcTarget, labels: DiagnosticsLabels, width: number, corrected: PredictionCorrection | null = null): Element {
  const unit = labels.endpoints[vpc.target].unit;
  const u = unit ? ` ${unit}` : '';
  const timeUnit = labels.timeUnit ? ` ${labels.timeUnit}` : '';
  const fit = facetColumns(vpc.strata.length, width, 260);
  // As many columns as fit, spread evenly over the rows (2 × 2 rather than 3 + 1).
  const columns = Math.ceil(vpc.strata.length / Math.ceil(vpc.strata.length / fit));
  const facetOf = (s: number): Facet => ({ fx: s % columns, fy: Math.floor(s / columns) });
  const bands = vpc.strata.flatMap((stratum, s) =>
    PERCENTILES.flatMap((p) => stratum.bins.map((bin: VpcBin) => ({ ...facetOf(s), time: bin.time, percentile: p, ...bin.simulated[p] }))),
  );
  const observed = vpc.strata.flatMap((stratum, s) =>
    PERCENTILES.flatMap((p) =>
      stratum.bins.map((bin) => ({ ...facetOf(s), time: bin.time, percentile: p, value: bin.observed[p], n: bin.n })),
    ),
  );
  const points = vpc.strata.flatMap((stratum, s) =>
    stratum.observations.time.map((time, j) => ({
      ...facetOf(s),
      time,
      dv: stratum.observations.dv[j],
      blq: stratum.observations.blq?.[j] === true,
    })),
  );
  const titles = vpc.strata.map((stratum, s) => ({ ...facetOf(s), text: stratum.label }));
  const log = vpc.target === 'pk';
  const yLabel = corrected ? correctedAxisLabel(labels, vpc.target) : valueAxisLabel(labels, vpc.target);
  const maxTime = Math.max(1, maxOf(points.map((p) => p.time)));
  const facets = { fx: 'fx', fy: 'fy' };
  const band = (p: (typeof PERCENTILES)[number]): Plot.Markish =>
    Plot.areaY(
      bands.filter((b) => b.percentile === p),
      {
        x: 'time',
        y1: 'lo',
        y2: 'hi',
        ...facets,
        fill: p === 'p50' ? MEDIAN_BAND : OUTER_BAND,
        fillOpacity: 0.3,
        ariaDescription: `simulated ${p} interval`,
      },
    );
  const line = (p: (typeof PERCENTILES)[number]): Plot.Markish =>
    Plot.line(
      observed.filter((o) => o.percentile === p),
      {
        x: 'time',
        y: 'value',
        ...facets,
        stroke: INK,
        strokeWidth: p === 'p50' ? 2 : 1.3,
        strokeDasharray: p === 'p50' ? undefined : '5,3',
        marker: 'circle-stroke',
        tip: true,
        title: (o: { time: number; value: number; n: number; percentile: string }) =>
          `${formatTime(o.time)}${timeUnit}: observed ${o.percentile.replace('p', '')}th percentile ${formatSignificant(o.value)}${u} (n = ${o.n})`,
        ariaDescription: `observed ${p}`,
      },
    );
  const marks: Plot.Markish[] = [
    band('p05'),
    band('p95'),
    band('p50'),
    Plot.dot(
      points.filter((p) => !p.blq),
      { x: 'time', y: 'dv', ...facets, r: 1.3, fill: MUTED, fillOpacity: 0.35, ariaDescription: 'observations' },
    ),
    // Below the limit of quantification: open triangles at the limit (the value lies somewhere under it).
    Plot.dot(
      points.filter((p) => p.blq),
      { x: 'time', y: 'dv', ...facets, r: 2.5, symbol: 'triangle2', stroke: MUTED, fill: 'none', ariaDescription: 'below the LOQ' },
    ),
    line('p05'),
    line('p95'),
    line('p50'),
    Plot.text(titles, {
      ...facets,
      text: 'text',
      frameAnchor: 'top-left',
      dx: 4,
      dy: 4,
      fill: INK,
      stroke: '#ffffff',
      strokeWidth: 3,
      paintOrder: 'stroke',
      fontSize: 11,
      fontWeight: 600,
    }),
  ];
  const reference = corrected ? null : referenceFor(labels.reference, vpc.target);
  if (reference) marks.unshift(...referenceMarks(reference));
  const positive = [...points.map((p) => p.dv), ...bands.flatMap((b) => [b.lo, b.hi])].filter((v) => v > 0);
  const rows = Math.ceil(vpc.strata.length / columns);
  return Plot.plot({
    ...basePlot(width, 50 + rows * 230),
    ariaLabel:
      `${vpc.target.toUpperCase()}: ${corrected ? 'prediction-corrected ' : ''}visual predictive check of ` +
      `${labels.endpoints[vpc.target].name}, ` +
      `${vpc.strata.length} groups: observed percentiles over simulated 90 % intervals`,
    x: {
      label: timeAxisLabel(labels),
      ticks: timeTicks(maxTime, width / columns, labels.timeUnit),
      tickFormat: timeTickFormat,
      nice: maxTime <= 336,
    },
    y: log
      ? {
          label: yLabel,
          type: 'log',
          grid: true,
          ticks: logTicksOf(positive),
          tickFormat: '~g',
          domain: [minOf(positive), maxOf(positive)],
        }
      : { label: yLabel, grid: true, nice: true, zero: true },
    fx: { axis: null },
    fy: { axis: null },
    marks,
  });
}

/**
 * The censored VPC's lower panel (Bergstrand & Karlsson 2009): per stratum and time bin, the observed
 * fraction of observations below the limit of quantification (line) over the 90 % interval of the
 * simulated fractions (band). Only for a target with a limit (`vpc.censored`).
 */
export function vpcBlqPlot(vpc: VpcTarget, labels: DiagnosticsLabels, width: number): Element {
  const fit = facetColumns(vpc.strata.length, width, 260);
  const columns = Math.ceil(vpc.strata.length / Math.ceil(vpc.strata.length / fit));
  const facetOf = (s: number): Facet => ({ fx: s % columns, fy: Math.floor(s / columns) });
  const rows = vpc.strata.flatMap((stratum, s) =>
    stratum.bins
      .filter((bin) => bin.blq !== undefined)
      .map((bin) => ({ ...facetOf(s), time: bin.time, observed: bin.blq!.observed, lo: bin.blq!.simulated.lo, hi: bin.blq!.simulated.hi })),
  );
  const titles = vpc.strata.map((stratum, s) => ({ ...facetOf(s), text: stratum.label }));
  const maxTime = Math.max(1, maxOf(rows.map((r) => r.time)));
  const facets = { fx: 'fx', fy: 'fy' };
  const strataRows = Math.ceil(vpc.strata.length / columns);
  return Plot.plot({
    ...basePlot(width, 50 + strataRows * 160),
    ariaLabel:
      `${vpc.target.toUpperCase()}: fraction of ${labels.endpoints[vpc.target].name} observations below the limit of quantification ` +
      'per time bin, observed over the simulated 90 % interval',
    x: { label: timeAxisLabel(labels), ticks: timeTicks(maxTime, width / columns, labels.timeUnit), tickFormat: timeTickFormat },
    y: { label: 'Fraction below the LOQ', domain: [0, 1], grid: true, percent: false },
    fx: { axis: null },
    fy: { axis: null },
    marks: [
      Plot.areaY(rows, {
        x: 'time',
        y1: 'lo',
        y2: 'hi',
        ...facets,
        fill: OUTER_BAND,
        fillOpacity: 0.3,
        ariaDescription: 'simulated 90 % interval',
      }),
      Plot.line(rows, {
        x: 'time',
        y: 'observed',
        ...facets,
        stroke: INK,
        strokeWidth: 1.8,
        marker: 'circle-stroke',
        tip: true,
        title: (r: { time: number; observed: number; lo: number; hi: number }) =>
          `${formatTime(r.time)}: observed ${formatSignificant(r.observed * 100, 2)} % below the LOQ; simulated ` +
          `${formatSignificant(r.lo * 100, 2)}–${formatSignificant(r.hi * 100, 2)} %`,
        ariaDescription: 'observed fraction below the LOQ',
      }),
      Plot.text(titles, { ...facets, text: 'text', frameAnchor: 'top-left', dx: 4, dy: 4, fill: INK, fontSize: 11, fontWeight: 600 }),
    ],
  });
}
