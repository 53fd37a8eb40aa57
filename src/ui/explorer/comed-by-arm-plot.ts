/** Panel C: share of subjects with and without concomitant medication per arm. */
import * as Plot from '@observablehq/plot';
import type { ArmComedCounts } from '../../data/explore/comed-by-arm';
import { COMED_LABELS, COMED_ORDER, comedColorScale } from './comed-colors';
import { basePlot, INK } from './plot-theme';

export interface ComedByArmInput {
  comed: readonly ArmComedCounts[];
  width: number;
}

export function comedByArmPlot({ comed, width }: ComedByArmInput): Element {
  const present = COMED_ORDER.filter((s) => comed.some((c) => c[s] > 0));
  const rows = comed
    .filter((c) => c.total > 0)
    .flatMap((c) => {
      let base = 0;
      return present.map((s) => {
        const share = (100 * c[s]) / c.total;
        const row = { label: c.label, status: COMED_LABELS[s], dark: s === 'with', count: c[s], total: c.total, share, y1: base, y2: base + share };
        base += share;
        return row;
      });
    });
  const labelled = rows.filter((r) => r.count > 0);
  const mid = (r: (typeof rows)[number]): number => (r.y1 + r.y2) / 2;
  const text = (r: (typeof rows)[number]): string => `${r.count}/${r.total}`;
  return Plot.plot({
    ...basePlot(width, 260),
    ariaLabel: 'Share of subjects with concomitant medication per arm',
    x: { label: null, domain: comed.map((c) => c.label), padding: 0.3 },
    y: { label: 'Share of subjects (%)', domain: [0, 100], grid: true },
    color: { ...comedColorScale(present), legend: true },
    marks: [
      Plot.barY(rows, {
        x: 'label',
        y1: 'y1',
        y2: 'y2',
        fill: 'status',
        title: (d) => `${d.label}, ${d.status}: ${d.count} of ${d.total} (${Math.round(d.share)}%)`,
      }),
      Plot.text(labelled.filter((r) => r.dark), { x: 'label', y: mid, text, fill: '#ffffff' }),
      Plot.text(labelled.filter((r) => !r.dark), { x: 'label', y: mid, text, fill: INK }),
      Plot.ruleY([0]),
    ],
  });
}
