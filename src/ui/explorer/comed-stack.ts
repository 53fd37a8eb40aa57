/** Bars of subjects per arm stacked by COMED status, shared by panels A (counts) and C (shares). */
import * as Plot from '@observablehq/plot';
import type { ArmComedCounts } from '../../data/explore/comed-by-arm';
import type { ComedStatus } from '../../data/explore/covariate-lookup';
import { COMED_LABELS, COMED_ORDER } from './comed-colors';
import { INK } from './plot-theme';

export interface ComedSegment {
  label: string;
  status: string;
  dark: boolean;
  count: number;
  total: number;
  /** Percent of the arm's subjects. */
  share: number;
  y1: number;
  y2: number;
}

/** Segments per arm in COMED order; heights are counts or percentages of the arm. */
export function comedSegments(
  comed: readonly ArmComedCounts[],
  unit: 'count' | 'share',
): { present: ComedStatus[]; segments: ComedSegment[] } {
  const present = COMED_ORDER.filter((s) => comed.some((c) => c[s] > 0));
  const segments = comed
    .filter((c) => c.total > 0)
    .flatMap((c) => {
      let base = 0;
      return present.map((s) => {
        const share = (100 * c[s]) / c.total;
        const height = unit === 'count' ? c[s] : share;
        const segment = {
          label: c.label,
          status: COMED_LABELS[s],
          dark: s === 'with',
          count: c[s],
          total: c.total,
          share,
          y1: base,
          y2: base + height,
        };
        base += height;
        return segment;
      });
    });
  return { present, segments };
}

/** The stacked bars with a label inside each non-empty segment, white on the dark colour. */
export function comedSegmentMarks(
  segments: readonly ComedSegment[],
  text: (segment: ComedSegment) => string,
  title: (segment: ComedSegment) => string,
): Plot.Markish[] {
  const labelled = segments.filter((s) => s.count > 0);
  const mid = (s: ComedSegment): number => (s.y1 + s.y2) / 2;
  return [
    Plot.barY(segments, { x: 'label', y1: 'y1', y2: 'y2', fill: 'status', title }),
    Plot.text(
      labelled.filter((s) => s.dark),
      { x: 'label', y: mid, text, fill: '#ffffff' },
    ),
    Plot.text(
      labelled.filter((s) => !s.dark),
      { x: 'label', y: mid, text, fill: INK },
    ),
  ];
}
