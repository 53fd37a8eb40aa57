/**
 * The correlation matrix of a stage's estimates (src/pkpd/diagnostics/parameter-correlation.ts) as a
 * heatmap: blue for negative, red for positive correlations, each cell's value written in it; the
 * condition number is the figure's caption (diagnostics-model.ts `conditionNumberText`).
 */
import * as Plot from '@observablehq/plot';
import type { ParameterCorrelation } from '../../pkpd/diagnostics/parameter-correlation';
import { basePlot } from '../explorer/plot-theme';
import { formatSignificant } from '../../text/format';
import { type CorrelationCell, correlationCells } from './diagnostics-model';

/** |r| from which a cell's text is white on its dark colour. */
const DARK = 0.6;

export function correlationPlot(c: ParameterCorrelation, stage: string, width: number): Element {
  const cells = correlationCells(c);
  const names = c.names.filter((n) => !c.excluded.includes(n));
  const margin = Math.min(130, 12 + 6.5 * Math.max(...names.map((n) => n.length)));
  const side = Math.min(Math.max(240, width) - margin - 16, 44 * names.length);
  const text = (x: CorrelationCell): string => (x.r === 1 ? '1' : formatSignificant(x.r, 2).replace(/^(-?)0\./, '$1.'));
  return Plot.plot({
    ...basePlot(side + margin + 16, side + 26 + margin),
    marginLeft: margin,
    marginBottom: margin,
    ariaLabel:
      `${stage.toUpperCase()}: correlation matrix of ${names.length} estimates (${names.join(', ')}); ` +
      `the largest off the diagonal ${largest(cells)}`,
    x: { label: null, domain: names, tickRotate: -45 },
    y: { label: null, domain: names },
    color: { type: 'linear', scheme: 'rdbu', domain: [-1, 1], reverse: true, legend: true, label: 'Correlation' },
    marks: [
      Plot.cell(cells, {
        x: 'column',
        y: 'row',
        fill: 'r',
        inset: 0.5,
        tip: true,
        title: (x: CorrelationCell) => `${x.row} · ${x.column}: r = ${formatSignificant(x.r, 3)}`,
        ariaDescription: 'correlations',
      }),
      Plot.text(cells, {
        x: 'column',
        y: 'row',
        text,
        fill: (x: CorrelationCell) => (Math.abs(x.r) >= DARK ? '#ffffff' : '#111827'),
        fontSize: names.length > 10 ? 9 : 11,
        ariaHidden: 'true',
      }),
    ],
  });
}

function largest(cells: readonly CorrelationCell[]): string {
  const pairs = cells.filter((x) => x.row !== x.column);
  const top = pairs.reduce<CorrelationCell | null>((a, x) => (a === null || Math.abs(x.r) > Math.abs(a.r) ? x : a), null);
  return top ? `${top.row} · ${top.column} r = ${formatSignificant(top.r, 2)}` : 'none';
}
