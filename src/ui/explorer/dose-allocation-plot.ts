/** Panel A: subjects per arm, stacked by COMED status when the file has COMED. */
import * as Plot from '@observablehq/plot';
import type { Arm } from '../../data/explore/arms';
import type { ArmComedCounts } from '../../data/explore/comed-by-arm';
import type { ComedStatus } from '../../data/explore/covariate-lookup';
import { type ArmColorScale } from './arm-colors';
import { COMED_LABELS, COMED_ORDER, comedColorScale } from './comed-colors';
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
  const y = { label: 'Subjects', grid: true, nice: true, domain: [0, Math.max(1, ...totals.map((t) => t.n)) * 1.15] };

  if (!comed) {
    return Plot.plot({
      ...options,
      ariaLabel: 'Subjects per arm',
      x: { label: null, domain: xDomain, padding: 0.3 },
      y,
      color: colors,
      marks: [
        Plot.barY(totals, { x: 'label', y: 'n', fill: 'label', title: (d) => `${d.label}: ${d.n} subjects` }),
        Plot.text(totals, { x: 'label', y: 'n', text: 'n', dy: -8, fill: INK }),
        Plot.ruleY([0]),
      ],
    });
  }

  const present = COMED_ORDER.filter((s) => comed.some((c) => c[s] > 0));
  // Stack segments in COMED order; mid is where each segment's count label sits.
  const rows = comed.flatMap((c) => {
    let base = 0;
    return present.map((s: ComedStatus) => {
      const row = { label: c.label, status: COMED_LABELS[s], dark: s === 'with', count: c[s], total: c.total, y1: base, y2: base + c[s] };
      base += c[s];
      return row;
    });
  });
  const labelled = rows.filter((r) => r.count > 0);
  const mid = (r: (typeof rows)[number]): number => (r.y1 + r.y2) / 2;
  return Plot.plot({
    ...options,
    ariaLabel: 'Subjects per arm, split by concomitant medication',
    x: { label: null, domain: xDomain, padding: 0.3 },
    y,
    color: { ...comedColorScale(present), legend: true },
    marks: [
      Plot.barY(rows, {
        x: 'label',
        y1: 'y1',
        y2: 'y2',
        fill: 'status',
        title: (d) => `${d.label}, ${d.status}: ${d.count} of ${d.total}`,
      }),
      Plot.text(labelled.filter((r) => r.dark), { x: 'label', y: mid, text: 'count', fill: '#ffffff' }),
      Plot.text(labelled.filter((r) => !r.dark), { x: 'label', y: mid, text: 'count', fill: INK }),
      Plot.text(totals, { x: 'label', y: 'n', text: (d) => `n = ${d.n}`, dy: -8, fill: INK }),
      Plot.ruleY([0]),
    ],
  });
}
