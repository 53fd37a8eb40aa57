/** Panel C: share of subjects with and without concomitant medication per arm. */
import * as Plot from '@observablehq/plot';
import type { ArmComedCounts } from '../../data/explore/comed-by-arm';
import { comedColorScale } from './comed-colors';
import { comedSegmentMarks, comedSegments } from './comed-stack';
import { basePlot } from './plot-theme';

export interface ComedByArmInput {
  comed: readonly ArmComedCounts[];
  width: number;
}

export function comedByArmPlot({ comed, width }: ComedByArmInput): Element {
  const { present, segments } = comedSegments(comed, 'share');
  return Plot.plot({
    ...basePlot(width, 260),
    ariaLabel: 'Share of subjects with concomitant medication per arm',
    x: { label: null, domain: comed.map((c) => c.label), padding: 0.3 },
    y: { label: 'Share of subjects (%)', domain: [0, 100], grid: true },
    color: { ...comedColorScale(present), legend: true },
    marks: [
      ...comedSegmentMarks(
        segments,
        (d) => `${d.count}/${d.total}`,
        (d) => `${d.label}, ${d.status}: ${d.count} of ${d.total} (${Math.round(d.share)}%)`,
      ),
      Plot.ruleY([0]),
    ],
  });
}
