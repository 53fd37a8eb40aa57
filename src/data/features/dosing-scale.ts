/**
 * The time scale of a study's dosing, for the dose-window and decay features: the typical dosing
 * interval τ of the training subjects.
 * - Repeated doses: τ is the median interval between consecutive doses (positive gaps only), pooled
 *   over the training subjects with at least two doses — 24 h for a once-daily study such as EstData,
 *   12 h for twice daily.
 * - Single doses (no training subject has two): τ is the observation span after the dose — the longest
 *   time from a subject's last dose to its last observation — so that no window ends, and no feature
 *   steps, inside the time the data cover (a window of 24 h on a 24 h single-dose study would drop the
 *   dose, and the prediction with it, at 24 h).
 * The windows are then τ, 2τ, …, 7τ and the decay half-lives τ, 2τ, 3τ (spec.ts, WINDOW_MULTIPLES and
 * DECAY_MULTIPLES), and the terminal phase for the elimination rate starts τ after the last dose for
 * repeated doses (as the reference's 24 h on a daily study) and a quarter of the span after a single
 * dose (after absorption, with points left to fit a slope).
 */
import type { DosingIntervalFit } from './spec';
import { median } from './rates';

export interface DosingHistory {
  doseTimes: ArrayLike<number>;
  /** Times of the subject's observations (any endpoint). */
  obsTimes: ArrayLike<number>;
}

/** τ of the training subjects (see the file comment), or null when none has a dose. */
export function typicalDosingInterval(histories: readonly DosingHistory[]): DosingIntervalFit | null {
  const gaps: number[] = [];
  let repeated = 0;
  let span = 0;
  let dosed = 0;
  for (const h of histories) {
    const n = h.doseTimes.length;
    if (n === 0) continue;
    dosed++;
    if (n >= 2) repeated++;
    for (let j = 1; j < n; j++) {
      const gap = h.doseTimes[j] - h.doseTimes[j - 1];
      if (gap > 0) gaps.push(gap);
    }
    const last = h.doseTimes[n - 1];
    for (let i = 0; i < h.obsTimes.length; i++) span = Math.max(span, h.obsTimes[i] - last);
  }
  if (gaps.length > 0) return { interval: median(gaps), rule: 'median interval between doses', subjects: repeated };
  if (dosed > 0 && span > 0) return { interval: span, rule: 'observation span after a single dose', subjects: dosed };
  return null;
}

/** Where the terminal phase starts after the last dose, for a dosing interval fit. */
export function terminalPhaseStart(fit: DosingIntervalFit): number {
  return fit.rule === 'observation span after a single dose' ? fit.interval / 4 : fit.interval;
}
