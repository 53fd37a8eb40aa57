/**
 * Random-effect plots of a study fit (src/pkpd/diagnostics/eta-diagnostics.ts; the ISoP, xpose and
 * ggPMX list): a histogram of one η̂ beside N(0, ω²), its QQ plot against N(0, ω²), η̂ against every
 * covariate column (small multiples, one per column; few integer values drawn as categories with
 * their median), and the shrinkage of every η of the endpoint's stage and of ε.
 */
import * as Plot from '@observablehq/plot';
import type { EtaSummary } from '../../pkpd/diagnostics/eta-diagnostics';
import type { DiagnosticTarget } from '../../pkpd/diagnostics/observation-diagnostics';
import { basePlot, INK, MUTED, THRESHOLD_COLOR } from '../explorer/plot-theme';
import { formatSignificant } from '../../text/format';
import { maxOf, minOf } from '../../data/min-max';
import { facetColumns } from '../model/report-plot-data';
import { type EtaCovariatePanel, etaHistogram, HIGH_SHRINKAGE } from './diagnostics-model';

const BAR = '#6baed6';
const POINT = '#2563eb';

const etaName = (summary: EtaSummary): string => `η(${summary.parameter})`;

/** Histogram of η̂ with the N(0, ω²) density scaled to the counts. */
export function etaHistogramPlot(summary: EtaSummary, width: number): Element {
  const { bins, density } = etaHistogram(summary.qq.eta, summary.omega);
  return Plot.plot({
    ...basePlot(width, 260),
    ariaLabel:
      `Histogram of ${etaName(summary)}, ${summary.n} subjects, with the normal density of SD ω = ` + formatSignificant(summary.omega),
    x: { label: etaName(summary), domain: [bins[0].x1, bins[bins.length - 1].x2] },
    y: { label: 'Subjects', grid: true, nice: true },
    marks: [
      Plot.rectY(bins, {
        x1: 'x1',
        x2: 'x2',
        y: 'count',
        fill: BAR,
        fillOpacity: 0.75,
        inset: 0.5,
        tip: true,
        title: (b: { x1: number; x2: number; count: number }) =>
          `${formatSignificant(b.x1, 2)} to ${formatSignificant(b.x2, 2)}: ${b.count} subject${b.count === 1 ? '' : 's'}`,
        ariaDescription: 'subjects per bin',
      }),
      Plot.ruleX([0], { stroke: MUTED }),
      Plot.line(density, { x: 'x', y: 'count', stroke: INK, strokeWidth: 1.5, ariaDescription: 'N(0, ω²) density' }),
      Plot.ruleY([0]),
    ],
  });
}

/** Sorted η̂ against the quantiles of N(0, ω²), with the identity line. */
export function etaQqPlot(summary: EtaSummary, width: number): Element {
  const points = summary.qq.expected.map((expected, i) => ({ expected, eta: summary.qq.eta[i] }));
  const all = points.flatMap((p) => [p.expected, p.eta]);
  const domain: [number, number] = [Math.min(0, minOf(all)), Math.max(0, maxOf(all))];
  const size = Math.max(240, Math.round(width));
  return Plot.plot({
    ...basePlot(size, Math.min(size, 320)),
    ariaLabel: `QQ plot of ${etaName(summary)}: ${points.length} sorted estimates against the quantiles of N(0, ω²), identity line`,
    x: { label: `Quantile of N(0, ω²)`, domain, nice: true, grid: true },
    y: { label: `Sorted ${etaName(summary)}`, domain, nice: true, grid: true },
    marks: [
      Plot.line(domain, {
        x: (v: number) => v,
        y: (v: number) => v,
        stroke: MUTED,
        strokeDasharray: '5,4',
        ariaDescription: 'identity line',
      }),
      Plot.dot(points, {
        x: 'expected',
        y: 'eta',
        fill: POINT,
        r: 2.6,
        fillOpacity: 0.8,
        tip: true,
        title: qqTip,
        ariaDescription: 'quantile pairs',
      }),
    ],
  });
}

function qqTip(p: { expected: number; eta: number }): string {
  return `expected ${formatSignificant(p.expected, 2)} · η̂ ${formatSignificant(p.eta, 2)}`;
}

/** η-shrinkage of every random effect of the stage and the ε-shrinkage, with the 30 % line. */
export function shrinkagePlot(etas: readonly EtaSummary[], epsilon: number | undefined, target: DiagnosticTarget, width: number): Element {
  const bars = etas.map((e) => ({ name: etaName(e), shrinkage: 100 * e.shrinkage }));
  if (epsilon !== undefined) bars.push({ name: 'ε', shrinkage: 100 * epsilon });
  const values = bars.map((b) => b.shrinkage).filter(Number.isFinite);
  return Plot.plot({
    ...basePlot(width, 90 + 34 * bars.length),
    marginLeft: 70,
    ariaLabel:
      `${target.toUpperCase()}: shrinkage of ${bars.map((b) => `${b.name} ${formatSignificant(b.shrinkage, 2)} %`).join(', ')}` +
      '; line at 30 %',
    x: { label: 'Shrinkage (%)', domain: [Math.min(0, minOf(values)), Math.max(50, maxOf(values))], grid: true },
    y: { label: null, domain: bars.map((b) => b.name) },
    marks: [
      Plot.barX(bars, {
        x: 'shrinkage',
        y: 'name',
        fill: (b: { shrinkage: number }) => (b.shrinkage > 100 * HIGH_SHRINKAGE ? THRESHOLD_COLOR : BAR),
        tip: true,
        title: (b: { name: string; shrinkage: number }) => `${b.name}: shrinkage ${formatSignificant(b.shrinkage, 2)} %`,
        ariaDescription: 'shrinkage',
      }),
      Plot.ruleX([100 * HIGH_SHRINKAGE], { stroke: THRESHOLD_COLOR, strokeDasharray: '4,3', ariaDescription: '30 % line' }),
      Plot.ruleX([0]),
    ],
  });
}

/** η̂ against each covariate column, one small plot per column, side by side. */
export function etaCovariatePlots(summary: EtaSummary, panels: readonly EtaCovariatePanel[], width: number): Element {
  const container = document.createElement('div');
  container.className = 'small-multiples';
  const columns = facetColumns(panels.length, width, 230);
  const panelWidth = Math.floor((width - 12 * (columns - 1)) / columns);
  const etas = panels.flatMap((p) => p.points.map((q) => q.eta));
  const y: Plot.ScaleOptions = {
    label: etaName(summary),
    domain: [Math.min(0, minOf(etas)), Math.max(0, maxOf(etas))],
    nice: true,
    grid: true,
  };
  for (const panel of panels) {
    const label = `${panel.column}${panel.inModel ? ' (in the model)' : ''}`;
    const title = (p: EtaCovariatePanel['points'][number]): string =>
      `ID ${p.id} · ${p.group}\n${panel.column} ${formatSignificant(p.value)} · η̂ ${formatSignificant(p.eta, 2)}`;
    const marks: Plot.Markish[] = [
      Plot.ruleY([0], { stroke: MUTED }),
      Plot.dot(panel.points, {
        x: 'value',
        y: 'eta',
        fill: POINT,
        r: 2.4,
        fillOpacity: 0.7,
        tip: true,
        title,
        ariaDescription: 'subjects',
      }),
    ];
    if (panel.categorical)
      marks.push(
        Plot.tickY(
          panel.points,
          Plot.groupX({ y: 'median' }, { x: 'value', y: 'eta', stroke: INK, strokeWidth: 2, ariaDescription: 'median' }),
        ),
      );
    container.append(
      Plot.plot({
        ...basePlot(panelWidth, 220),
        marginLeft: 48,
        ariaLabel:
          `${etaName(summary)} against ${panel.column}${panel.inModel ? ', a covariate of the model' : ''}, ` +
          `${panel.points.length} subjects${panel.categorical ? ', medians per value' : ''}`,
        x: panel.categorical ? { label, type: 'band', padding: 0.4 } : { label, nice: true, grid: true },
        y,
        marks,
      }),
    );
  }
  return container;
}
