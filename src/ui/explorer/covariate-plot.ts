/**
 * One covariate by group: a continuous one as a box per group with each subject's baseline as a dot,
 * a 0/1 or few-valued one as the share of each group's subjects at each value (stacked, labelled with
 * counts).
 */
import * as Plot from '@observablehq/plot';
import type { CategoricalCovariate, ContinuousCovariate, CovariatePoint } from '../../data/explore/covariates-by-group';
import { formatNumber, formatSignificant } from '../../text/format';
import { type ArmColorScale, restrictColors } from './arm-colors';
import { basePlot, INK } from './plot-theme';

/** Level colours, light to dark (labels: dark text on the first two, white on the others); missing values grey. */
const LEVEL_COLORS = ['#9cc3e6', '#5b9bd5', '#1f5f99', '#0e3a63', '#6a3d9a', '#b15928'];
const MISSING_COLOR = '#d1d5db';

export interface ContinuousCovariateInput {
  covariate: ContinuousCovariate;
  /** Group labels in the groups' order (x axis). */
  groupLabels: readonly string[];
  colors: ArmColorScale;
  width: number;
}

export function continuousCovariatePlot({ covariate, groupLabels, colors, width }: ContinuousCovariateInput): Element {
  const points = covariate.points;
  // Spread each group's dots sideways (a deterministic jitter, by rank within the group) so ties stay visible.
  const rankInGroup = new Map<CovariatePoint, number>();
  const countInGroup = new Map<string, number>();
  for (const p of points) {
    const k = countInGroup.get(p.label) ?? 0;
    rankInGroup.set(p, k);
    countInGroup.set(p.label, k + 1);
  }
  const offset = (p: CovariatePoint): number => {
    const n = countInGroup.get(p.label) ?? 1;
    const k = rankInGroup.get(p) ?? 0;
    return n > 1 ? ((k * 7) % n) / (n - 1) - 0.5 : 0;
  };
  const domain = groupLabels.filter((l) => countInGroup.has(l));
  const band = Math.max(24, (Math.max(240, width) - 72) / Math.max(1, domain.length));
  const spread = Math.min(36, band * 0.45);
  return Plot.plot({
    ...basePlot(width, 260),
    ariaLabel: `${covariate.name} by group`,
    x: { label: null, domain, padding: 0.25, tickRotate: domain.length > 4 ? -20 : 0 },
    y: { label: covariate.name, grid: true, nice: true },
    color: restrictColors(colors, domain),
    marks: [
      Plot.boxY(points, { x: 'label', y: 'value', fill: '#eef2f7', stroke: INK, strokeOpacity: 0.7, r: 0 }),
      Plot.dot(points, {
        x: 'label',
        y: 'value',
        fill: 'label',
        fillOpacity: 0.85,
        stroke: '#ffffff',
        strokeWidth: 0.75,
        r: 3.5,
        title: (p: CovariatePoint) => `ID ${p.id} · ${p.label} · ${covariate.name} ${formatSignificant(p.value, 4)}`,
        render: jitterX(points.map((p) => offset(p) * spread)),
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

export interface Segment {
  label: string;
  /** "SEX 1", or "SEX missing". */
  level: string;
  dark: boolean;
  count: number;
  total: number;
  /** Percent of the group's subjects. */
  share: number;
  y1: number;
  y2: number;
}

/** The stacked segments of a few-valued covariate: per group, one per level (then the missing), heights in percent. */
export function covariateSegments(covariate: CategoricalCovariate): { levels: string[]; colors: string[]; segments: Segment[] } {
  const names = covariate.levels.map((v) => `${covariate.name} ${formatNumber(v)}`);
  const anyMissing = covariate.groups.some((g) => g.missing > 0);
  const levels = anyMissing ? [...names, `${covariate.name} missing`] : names;
  const colors = [...names.map((_, i) => LEVEL_COLORS[i % LEVEL_COLORS.length]), ...(anyMissing ? [MISSING_COLOR] : [])];
  const segments = covariate.groups.flatMap((g) => {
    let base = 0;
    const counts = anyMissing ? [...g.counts, g.missing] : g.counts;
    return counts.map((count, i) => {
      const share = (100 * count) / g.total;
      const segment: Segment = {
        label: g.label,
        level: levels[i],
        dark: i < names.length && i % LEVEL_COLORS.length >= 2,
        count,
        total: g.total,
        share,
        y1: base,
        y2: base + share,
      };
      base += share;
      return segment;
    });
  });
  return { levels, colors, segments };
}

export interface CategoricalCovariateInput {
  covariate: CategoricalCovariate;
  width: number;
}

export function categoricalCovariatePlot({ covariate, width }: CategoricalCovariateInput): Element {
  const { levels, colors, segments } = covariateSegments(covariate);
  const labelled = segments.filter((s) => s.count > 0);
  const mid = (s: Segment): number => (s.y1 + s.y2) / 2;
  const text = (s: Segment): string => `${s.count}/${s.total}`;
  const groups = covariate.groups.map((g) => g.label);
  return Plot.plot({
    ...basePlot(width, 260),
    ariaLabel: `Share of subjects at each value of ${covariate.name} per group`,
    x: { label: null, domain: groups, padding: 0.3, tickRotate: groups.length > 4 ? -20 : 0 },
    y: { label: 'Share of subjects (%)', domain: [0, 100], grid: true },
    color: { domain: levels, range: colors, legend: true },
    marks: [
      Plot.barY(segments, {
        x: 'label',
        y1: 'y1',
        y2: 'y2',
        fill: 'level',
        title: (s: Segment) => `${s.label}, ${s.level}: ${s.count} of ${s.total} (${Math.round(s.share)}%)`,
      }),
      Plot.text(
        labelled.filter((s) => s.dark),
        { x: 'label', y: mid, text, fill: '#ffffff' },
      ),
      Plot.text(
        labelled.filter((s) => !s.dark),
        { x: 'label', y: mid, text, fill: INK },
      ),
      Plot.ruleY([0]),
    ],
  });
}
