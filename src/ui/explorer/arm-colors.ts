/** Arm colours shared by every explorer panel: placebo grey, dosed arms from a colour-blind-safe palette. */

export const PLACEBO_COLOR = '#6b7280';
const DOSED_PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#8C6D31', '#332288'];

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
