/**
 * The dose–response of one virtual population under one dosing interval: success fractions at the
 * doses a search asks for, memoised (the same subjects at every dose — common random numbers — so
 * a dose is simulated once however many searches ask for it), the per-subject outcomes kept for
 * the monotonicity check, and every evaluated point kept for plotting.
 */
import type { CancelSignal, PdSimulator, SteadyStateCheck } from './pd-simulator';
import { successFraction, successMask } from './criterion';
import { DoseSearchCancelledError } from './errors';
import type { VirtualPopulation } from './virtual-population';

export interface DosePoint {
  dose: number;
  /** Share of subjects with PD below the threshold throughout the last interval. */
  fraction: number;
  successes: number;
  n: number;
  /** Wilson 95% interval of the fraction (Monte-Carlo error of the virtual population). */
  ci: [number, number];
}

export interface MonotonicityReport {
  /** No evaluated dose has a lower success fraction than a smaller evaluated dose. */
  monotone: boolean;
  /** Consecutive evaluated doses (ascending) where the fraction falls. */
  decreases: { from: number; to: number; fractionFrom: number; fractionTo: number }[];
  /** Subjects who succeed at some evaluated dose and fail at a larger one. */
  subjectReversals: number;
  dosesEvaluated: number;
}

export interface DoseResponseOptions {
  threshold: number;
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
    readonly simulator: PdSimulator,
    readonly population: VirtualPopulation,
    readonly interval: number,
    readonly options: DoseResponseOptions,
  ) {}

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
        interval: this.interval,
        amounts: missing,
        gridStep: this.options.gridStep,
        signal: this.options.signal,
      });
      batch.results.forEach((res, k) => {
        const mask = successMask(res.maxPd, this.options.threshold);
        const f = successFraction(mask);
        this.points.set(key(missing[k]), { dose: missing[k], fraction: f.fraction, successes: f.successes, n: f.n, ci: f.ci });
        this.masks.set(key(missing[k]), mask);
      });
      this.simulated += missing.length;
      this.options.onEvaluated?.(this.simulated);
    }
    return doses.map((d) => this.points.get(key(d))!);
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
      interval: this.interval,
      amounts: [dose],
      gridStep: this.options.gridStep,
      checkSteadyState: true,
      signal: this.options.signal,
    });
    return batch.results[0].steadyState;
  }

  /** Monotonicity over all evaluated doses, by fraction and by subject (common random numbers). */
  monotonicity(): MonotonicityReport {
    const pts = this.curve();
    const decreases: MonotonicityReport['decreases'] = [];
    for (let k = 1; k < pts.length; k++) {
      if (pts[k].fraction < pts[k - 1].fraction) {
        decreases.push({ from: pts[k - 1].dose, to: pts[k].dose, fractionFrom: pts[k - 1].fraction, fractionTo: pts[k].fraction });
      }
    }
    let reversals = 0;
    const n = this.population.size;
    const masks = pts.map((p) => this.masks.get(key(p.dose))!);
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
    return { monotone: decreases.length === 0, decreases, subjectReversals: reversals, dosesEvaluated: pts.length };
  }
}
