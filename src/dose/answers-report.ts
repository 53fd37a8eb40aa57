/**
 * Dose answers as plain JSON for people and scripts (the headless `doses` command, bench files): the
 * question in words, the answers in the spec's units with their success fractions, Wilson intervals,
 * flags and parameter-uncertainty spreads, and per scenario × regimen what was evaluated and the
 * best share found (why a target was not reached). Numbers are rounded to 4–6 significant digits.
 */
import { Fnv1a64 } from '../data/hash';
import { maxOf } from '../data/min-max';
import { toHeadlessAnswers, type DoseQuestionsResult } from './dose-questions';

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

export interface CurveSummary {
  scenario: string;
  regimen: string;
  direction: string;
  doses_evaluated: number;
  highest_dose: number;
  best_fraction: number | null;
  best_at: number | null;
  /** The same, named for mg (when the spec's amount unit is mg). */
  highest_dose_mg?: number;
  best_at_mg?: number | null;
}

/** Per scenario × regimen: the doses evaluated, and the highest success fraction among them with its smallest dose. */
export function curveSummaries(result: Pick<DoseQuestionsResult, 'curves' | 'units'>): CurveSummary[] {
  const mg = result.units.amount === 'mg';
  return result.curves.map((c) => {
    const best = c.points.reduce((a, p) => (p.fraction > a.fraction ? p : a), c.points[0]);
    const highest = maxOf(c.points.map((p) => p.dose));
    const summary: CurveSummary = {
      scenario: c.scenario,
      regimen: c.regimen,
      direction: c.direction,
      doses_evaluated: c.points.length,
      highest_dose: highest,
      best_fraction: best ? round(best.fraction) : null,
      best_at: best ? best.dose : null,
    };
    if (mg) Object.assign(summary, { highest_dose_mg: highest, best_at_mg: summary.best_at });
    return summary;
  });
}

/** The answers with their uncertainty spreads (grid doses; Infinity written as null) and steady-state checks. */
export function answersReport(result: DoseQuestionsResult): unknown[] {
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return toHeadlessAnswers(result).map((h, k) => {
    const a = result.answers[k];
    return {
      ...h,
      ...(h.fraction !== null ? { fraction: round(h.fraction) } : {}),
      ...(h.ci ? { ci: [round(h.ci[0]), round(h.ci[1])] } : {}),
      successes: a.successes,
      n: a.n,
      ...(a.mcts ? { mcts_dose: a.mcts.dose } : {}),
      ...(a.uncertainty
        ? {
            band_90: [finite(a.uncertainty.p05), finite(a.uncertainty.p95)],
            band_median: finite(a.uncertainty.median),
            band_not_reached: a.uncertainty.notReached,
          }
        : {}),
      ...(a.steadyState ? { steady_state_worst_relative_difference: Number(a.steadyState.worstRelativeDifference.toExponential(2)) } : {}),
    };
  });
}

/**
 * FNV-1a 64 of every number of a result, full precision: each answer's dose, fraction, interval,
 * steady-state check and uncertainty spread, each curve's points (dose, successes) and band — to tell
 * two runs identical (e.g. on 1 thread and on a pool: bench/threads-doses.ts).
 */
export function resultsDigest(result: Pick<DoseQuestionsResult, 'answers' | 'curves'>): string {
  const hash = new Fnv1a64();
  for (const a of result.answers) {
    const u = a.uncertainty;
    hash.numbers([a.dose ?? Number.NaN, a.fraction ?? Number.NaN, ...(a.ci ?? []), a.steadyState?.worstRelativeDifference ?? Number.NaN]);
    hash.numbers(u ? [u.p05, u.median, u.p95, u.notReached] : []);
  }
  for (const c of result.curves) {
    hash.numbers(c.points.flatMap((p) => [p.dose, p.successes]));
    hash.numbers((c.band ?? []).flatMap((b) => [b.dose, b.p05, b.median, b.p95]));
  }
  return hash.hex();
}
