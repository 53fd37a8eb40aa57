/** Panel B: body weight by arm, box plot with every subject as a dot. */
import * as Plot from '@observablehq/plot';
import type { SubjectWeight } from '../../data/explore/bw-by-arm';
import { type ArmColorScale, restrictColors } from './arm-colors';
import { AXIS_BW, basePlot, INK } from './plot-theme';
import { formatSignificant } from '../../text/format';

export interface BwByArmInput {
  weights: readonly SubjectWeight[];
  /** Arm labels in dose order (x axis). */
  armLabels: readonly string[];
  colors: ArmColorScale;
  width: number;
}

export function bwByArmPlot({ weights, armLabels, colors, width }: BwByArmInput): Element {
  // Spread each arm's dots sideways (a deterministic jitter, by rank within the arm) so ties stay visible.
  const rankInArm = new Map<SubjectWeight, number>();
  const countInArm = new Map<string, number>();
  for (const w of weights) {
    const k = countInArm.get(w.label) ?? 0;
    rankInArm.set(w, k);
    countInArm.set(w.label, k + 1);
  }
  const offset = (w: SubjectWeight): number => {
    const n = countInArm.get(w.label) ?? 1;
    const k = rankInArm.get(w) ?? 0;
    return n > 1 ? ((k * 7) % n) / (n - 1) - 0.5 : 0;
  };
  const domain = armLabels.filter((l) => countInArm.has(l));
  const band = Math.max(24, (Math.max(240, width) - 72) / Math.max(1, domain.length));
  const spread = Math.min(36, band * 0.45);
  const options = basePlot(width, 260);
  return Plot.plot({
    ...options,
    ariaLabel: 'Body weight by arm',
    x: { label: null, domain, padding: 0.25 },
    y: { label: AXIS_BW, grid: true, nice: true },
    color: restrictColors(colors, domain),
    marks: [
      Plot.boxY(weights, { x: 'label', y: 'bw', fill: '#eef2f7', stroke: INK, strokeOpacity: 0.7, r: 0 }),
      Plot.dot(weights, {
        x: 'label',
        y: 'bw',
        fill: 'label',
        fillOpacity: 0.85,
        stroke: '#ffffff',
        strokeWidth: 0.75,
        r: 3.5,
        title: (w: SubjectWeight) => `ID ${w.id} · ${w.label} · ${formatSignificant(w.bw)} kg`,
        render: jitterX(weights.map((w) => offset(w) * spread)),
      }),
    ],
  });
}

/** Render transform that shifts each dot horizontally by a fixed pixel offset. */
function jitterX(offsets: readonly number[]): Plot.RenderFunction {
  return function (index, scales, values, dimensions, context, next) {
    const x = values.x;
    if (!x || !next) return next?.(index, scales, values, dimensions, context) ?? null;
    values.x = Array.from(x as ArrayLike<number>, (v, i) => v + (offsets[i] ?? 0));
    return next(index, scales, values, dimensions, context);
  };
}
