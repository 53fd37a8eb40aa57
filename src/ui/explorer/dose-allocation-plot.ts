/** Panel A: subjects per arm, stacked by COMED status when the file has COMED. */
import * as Plot from '@observablehq/plot';
import type { Arm } from '../../data/explore/arms';
import type { ArmComedCounts } from '../../data/explore/comed-by-arm';
import { maxOf } from '../../data/min-max';
import { type ArmColorScale } from './arm-colors';
import { comedColorScale } from './comed-colors';
import { comedSegmentMarks, comedSegments } from './comed-stack';
import { basePlot, INK } from './plot-theme';

export interface DoseAllocationInput {
  arms: readonly Arm[];
  /** Null when the file has no COMED: bars are coloured by arm instead. */
  comed: readonly ArmComedCounts[] | null;
  colors: ArmColorScale;
  width: number;
}

export function doseAllocationPlot({ arms, comed, colors, width }: DoseAllocationInput): Element {
  const totals = arms.map((a) => ({ label: a.label, n: a.subjects.length }));
  const xDomain = arms.map((a) => a.label);
  const options = basePlot(width, 260);
  const y = { label: 'Subjects', grid: true, nice: true, domain: [0, Math.max(1, maxOf(totals.map((t) => t.n))) * 1.15] };

  if (!comed) {
    return Plot.plot({
      ...options,
      ariaLabel: 'Subjects per arm',
      x: { label: null, domain: xDomain, padding: 0.3 },
      y,
      color: colors,
      marks: [
        Plot.barY(totals, { x: 'label', y: 'n', fill: 'label', title: (d: { label: string; n: number }) => `${d.label}: ${d.n} subjects` }),
        Plot.text(totals, { x: 'label', y: 'n', text: 'n', dy: -8, fill: INK }),
        Plot.ruleY([0]),
      ],
    });
  }

  const { present, segments } = comedSegments(comed, 'count');
  return Plot.plot({
    ...options,
    ariaLabel: 'Subjects per arm, split by concomitant medication',
    x: { label: null, domain: xDomain, padding: 0.3 },
    y,
    color: { ...comedColorScale(present), legend: true },
    marks: [
      ...comedSegmentMarks(
        segments,
        (d) => String(d.count),
        (d) => `${d.label}, ${d.status}: ${d.count} of ${d.total}`,
      ),
      Plot.text(totals, { x: 'label', y: 'n', text: (d: { n: number }) => `n = ${d.n}`, dy: -8, fill: INK }),
      Plot.ruleY([0]),
    ],
  });
}
