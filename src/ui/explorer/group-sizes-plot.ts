/** Subjects per group (the study spec's groupBy), one bar per group in its colour. */
import * as Plot from '@observablehq/plot';
import type { SubjectGroup } from '../../data/explore/groups';
import { maxOf } from '../../data/min-max';
import type { ArmColorScale } from './arm-colors';
import { basePlot, INK } from './plot-theme';

export interface GroupSizesInput {
  groups: readonly SubjectGroup[];
  colors: ArmColorScale;
  width: number;
}

export function groupSizesPlot({ groups, colors, width }: GroupSizesInput): Element {
  const totals = groups.map((g) => ({ label: g.label, n: g.subjects.length }));
  return Plot.plot({
    ...basePlot(width, 260),
    ariaLabel: 'Subjects per group',
    x: { label: null, domain: totals.map((t) => t.label), padding: 0.3, tickRotate: totals.length > 4 ? -20 : 0 },
    y: { label: 'Subjects', grid: true, nice: true, domain: [0, Math.max(1, maxOf(totals.map((t) => t.n))) * 1.15] },
    color: colors,
    marks: [
      Plot.barY(totals, { x: 'label', y: 'n', fill: 'label', title: (d: { label: string; n: number }) => `${d.label}: ${d.n} subjects` }),
      Plot.text(totals, { x: 'label', y: 'n', text: (d: { n: number }) => `n = ${d.n}`, dy: -8, fill: INK }),
      Plot.ruleY([0]),
    ],
  });
}
