/**
 * The dose–response of one virtual population under one regimen: success fractions at the doses a
 * search asks for, memoised (the same subjects at every dose — common random numbers — so a dose is
 * simulated once however many searches ask for it), the per-subject outcomes kept for the
 * monotonicity check, and every evaluated point kept for plotting.
 */
import type { Criterion } from '../study/study-spec';
import { criterionSummaries, successFraction, successMask } from './criterion';
import { DoseSearchCancelledError, DoseSettingsError } from './errors';
import type { CancelSignal, DosingRegimen, SteadyStateCheck, SteadyStateSimulator } from './steady-state';
import type { VirtualPopulation } from './virtual-population';

export interface DosePoint {
  dose: number;
  /** Share of subjects meeting the criterion. */
  fraction: number;
  successes: number;
  n: number;
  /** Wilson 95% interval of the fraction (Monte-Carlo error of the virtual population). */
  ci: [number, number];
}

/** How success is expected to move with the dose: up, down, or either way (a "within" criterion). */
export type SuccessDirection = 'rising' | 'falling' | 'not monotone';

export interface MonotonicityReport {
  /** The direction checked ('not monotone': none was expected, nothing is checked; absent: rising). */
  expected?: SuccessDirection;
  /** No evaluated dose goes against the expected direction. */
  monotone: boolean;
  /** Consecutive evaluated doses (ascending) where the fraction moves against the expected direction. */
  decreases: { from: number; to: number; fractionFrom: number; fractionTo: number }[];
  /** Subjects whose success goes against the expected direction between two evaluated doses. */
  subjectReversals: number;
  dosesEvaluated: number;
}

export interface DoseResponseOptions {
  criterion: Criterion;
  gridStep: number;
  signal?: CancelSignal;
  /** Called after each simulated batch with the number of distinct doses simulated so far. */
  onEvaluated?: (evaluations: number) => void;
}

const key = (dose: number): string => dose.toFixed(9);

export class DoseResponse {
  private readonly points = new Map<string, DosePoint>();
  private readonly masks = new Map<string, Uint8Array>();
  private simulated = 0;

  constructor(
    readonly simulator: SteadyStateSimulator,
    readonly population: VirtualPopulation,
    readonly regimen: DosingRegimen,
    readonly options: DoseResponseOptions,
  ) {
    const needed = criterionSummaries(options.criterion);
    const offered = simulator.summaries ?? ['max'];
    const missing = needed.filter((s) => !offered.includes(s));
    if (missing.length > 0) {
      throw new DoseSettingsError(
        `${simulator.label} cannot judge this criterion: it gives the ${offered.join(', ')} of its endpoint over the interval, not the ${missing.join(', ')}.`,
      );
    }
  }

  /** Distinct doses simulated so far. */
  get evaluations(): number {
    return this.simulated;
  }

  /** Points at the given doses (simulating, in one batch, those not yet evaluated). */
  async at(doses: readonly number[]): Promise<DosePoint[]> {
    if (this.options.signal?.aborted) throw new DoseSearchCancelledError();
    const missing = [...new Set(doses.filter((d) => !this.points.has(key(d))).map(key))].map(Number);
    if (missing.length > 0) {
      const batch = await this.simulator.simulate({
        population: this.population,
        regimen: this.regimen,
        amounts: missing,
        gridStep: this.options.gridStep,
        summaries: criterionSummaries(this.options.criterion),
        signal: this.options.signal,
      });
      batch.results.forEach((res, k) => {
        const mask = successMask(res, this.options.criterion, this.population.size);
        const f = successFraction(mask);
        this.points.set(key(missing[k]), { dose: missing[k], fraction: f.fraction, successes: f.successes, n: f.n, ci: f.ci });
        this.masks.set(key(missing[k]), mask);
      });
      this.simulated += missing.length;
      this.options.onEvaluated?.(this.simulated);
    }
    return doses.map((d) => this.points.get(key(d))!);
  }

  /**
   * Fills the `grid` doses not yet evaluated from each subject's range of successful grid indices
   * [first, last] (a simulator's `successRanges`, exact when each subject's endpoint moves one way
   * with the dose) — after checking that range against every dose already simulated, subject by
   * subject. Returns false, and fills nothing, when any subject's simulated outcome contradicts its
   * range (the caller then simulates the grid).
   */
  fillFromRanges(grid: readonly number[], first: Int32Array, last: Int32Array): boolean {
    const n = this.population.size;
    const derived = (k: number): Uint8Array => {
      const mask = new Uint8Array(n);
      for (let i = 0; i < n; i++) mask[i] = first[i] <= k && k <= last[i] ? 1 : 0;
      return mask;
    };
    for (let k = 0; k < grid.length; k++) {
      const mask = this.masks.get(key(grid[k]));
      if (!mask) continue;
      const expected = derived(k);
      for (let i = 0; i < n; i++) if (mask[i] !== expected[i]) return false;
    }
    for (let k = 0; k < grid.length; k++) {
      if (this.points.has(key(grid[k]))) continue;
      const mask = derived(k);
      const f = successFraction(mask);
      this.points.set(key(grid[k]), { dose: grid[k], fraction: f.fraction, successes: f.successes, n: f.n, ci: f.ci });
      this.masks.set(key(grid[k]), mask);
    }
    return true;
  }

  /** Success fraction at one dose. */
  readonly fractionAt = async (dose: number): Promise<number> => (await this.at([dose]))[0].fraction;

  /** The point at a dose if it has been evaluated. */
  get(dose: number): DosePoint | undefined {
    return this.points.get(key(dose));
  }

  /** Every evaluated point, by ascending dose. */
  curve(): DosePoint[] {
    return [...this.points.values()].sort((a, b) => a.dose - b.dose);
  }

  /** Simulates one dose again with the simulator's steady-state check. */
  async steadyStateAt(dose: number): Promise<SteadyStateCheck | undefined> {
    const batch = await this.simulator.simulate({
      population: this.population,
      regimen: this.regimen,
      amounts: [dose],
      gridStep: this.options.gridStep,
      summaries: criterionSummaries(this.options.criterion),
      checkSteadyState: true,
      signal: this.options.signal,
    });
    return batch.results[0].steadyState;
  }

  /** Monotonicity over all evaluated doses in the expected direction, by fraction and by subject (common random numbers). */
  monotonicity(expected: SuccessDirection = 'rising'): MonotonicityReport {
    const pts = this.curve();
    const decreases: MonotonicityReport['decreases'] = [];
    if (expected === 'not monotone') return { expected, monotone: true, decreases, subjectReversals: 0, dosesEvaluated: pts.length };
    const against = (from: number, to: number): boolean => (expected === 'rising' ? to < from : to > from);
    for (let k = 1; k < pts.length; k++) {
      if (against(pts[k - 1].fraction, pts[k].fraction)) {
        decreases.push({ from: pts[k - 1].dose, to: pts[k].dose, fractionFrom: pts[k - 1].fraction, fractionTo: pts[k].fraction });
      }
    }
    let reversals = 0;
    const n = this.population.size;
    const masks = pts.map((p) => this.masks.get(key(p.dose))!);
    if (expected === 'falling') masks.reverse();
    for (let i = 0; i < n; i++) {
      let succeeded = false;
      for (const mask of masks) {
        if (mask[i]) succeeded = true;
        else if (succeeded) {
          reversals++;
          break;
        }
      }
    }
    return { expected, monotone: decreases.length === 0, decreases, subjectReversals: reversals, dosesEvaluated: pts.length };
  }
}
