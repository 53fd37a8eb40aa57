/**
 * Group colours shared by every explorer panel (and the arms of the fit's plots): undosed groups
 * (placebo) grey, dosed ones from a colour-blind-safe palette (Okabe–Ito, then Tol's muted colours).
 */

export const PLACEBO_COLOR = '#6b7280';
const DOSED_PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#8C6D31',
  '#332288',
  '#882255',
  '#44AA99',
  '#999933',
  '#AA4499',
];

export interface ArmColorScale {
  domain: string[];
  range: string[];
}

/** Colour scale over arms (in dose order); dosed arms take palette colours in dose order. */
export function armColorScale(arms: readonly { label: string; dose: number }[]): ArmColorScale {
  let next = 0;
  const range = arms.map((a) => (a.dose === 0 ? PLACEBO_COLOR : DOSED_PALETTE[next++ % DOSED_PALETTE.length]));
  return { domain: arms.map((a) => a.label), range };
}

/** Colour scale over a study's groups (in their order); groups with doses take palette colours in order, the undosed grey. */
export function groupColorScale(groups: readonly { label: string; dosed: boolean }[]): ArmColorScale {
  let next = 0;
  const range = groups.map((g) => (g.dosed ? DOSED_PALETTE[next++ % DOSED_PALETTE.length] : PLACEBO_COLOR));
  return { domain: groups.map((g) => g.label), range };
}

/** The same scale restricted to the given labels, keeping each arm's colour. */
export function restrictColors(scale: ArmColorScale, labels: Iterable<string>): ArmColorScale {
  const keep = new Set(labels);
  const idx = scale.domain.map((_, i) => i).filter((i) => keep.has(scale.domain[i]));
  return { domain: idx.map((i) => scale.domain[i]), range: idx.map((i) => scale.range[i]) };
}

export function colorOf(scale: ArmColorScale, label: string): string {
  const i = scale.domain.indexOf(label);
  return i >= 0 ? scale.range[i] : PLACEBO_COLOR;
}
