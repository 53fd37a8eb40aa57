/** Shared look of the explorer's Observable Plot charts. */
import type { PlotOptions } from '@observablehq/plot';

/** An axis label with its unit: "Drug concentration (ng/mL)"; the name alone without a unit. */
export function axisLabel(name: string, unit: string): string {
  return unit ? `${name} (${unit})` : name;
}

export const INK = '#1f2937';
export const MUTED = '#6b7280';
export const THRESHOLD_COLOR = '#b91c1c';

/** Base options: size, font and margins shared by all panels. */
export function basePlot(width: number, height: number): PlotOptions {
  return {
    width: Math.max(240, Math.round(width)),
    height,
    marginLeft: 56,
    marginRight: 16,
    marginTop: 26,
    marginBottom: 40,
    style: { fontFamily: 'inherit', fontSize: '12px', color: INK, background: 'transparent', overflow: 'visible' },
  };
}

/** Week-aligned time ticks (0, 168, 336 h, …) for long studies in hours; Plot's defaults for short ones and other units. */
export function timeTicks(maxTime: number, width: number, unit = 'h'): number[] | undefined {
  if (unit !== 'h' || !(maxTime > 336)) return undefined;
  let step = 168;
  // Keep at least ~55 px between tick labels.
  while ((width - 72) / (maxTime / step) < 55) step *= 2;
  const ticks: number[] = [];
  for (let t = 0; t <= maxTime + 1e-9; t += step) ticks.push(t);
  return ticks;
}

/** Time as written (up to 2 decimals), no rounding to significant digits, no grouping: "1176". */
export function formatTime(t: number): string {
  return Number.isFinite(t) ? String(Number(t.toFixed(2))) : '–';
}

/** Tick format for time axes: plain numbers without thousands separators. */
export const timeTickFormat = (t: number): string => String(t);
