/**
 * Progress of an experiment made of several training runs (grid cells, or models of the claims
 * check): which run, its current epoch, the fraction done and the time left. A run counts its
 * network trainings in order (direct head: PK then PD, or the one multitask network; mechanistic
 * head: the network step of each alternating round), each by its epochs out of the maximum — early
 * stopping makes the estimate err on the long side.
 */
import type { EpochProgress } from '../train-network';

/** An epoch of one of a run's network trainings. */
export interface RunEpoch extends EpochProgress {
  /** Which training: a branch ('pk', 'pd', 'pkpd') or a hybrid fit's round ('round2'). */
  readonly branch: string;
  /** 1-based place of this training among the run's, and how many the run has. */
  readonly step: number;
  readonly steps: number;
}

export interface ExperimentProgress {
  /** 1-based index of the training run in progress (or just finished). */
  readonly run: number;
  readonly runs: number;
  /** What the run trains, in words ("4 qubits × 2 layers", "QNN-MLP control"). */
  readonly label: string;
  /** The run's latest epoch; null when the run starts or has finished. */
  readonly epoch: RunEpoch | null;
  /** Fraction of the whole experiment done, 0..1. */
  readonly fraction: number;
  readonly elapsedMs: number;
  /** Estimated time left; null before anything is measured. */
  readonly etaMs: number | null;
}

/** Fraction done when `completedRuns` runs have finished and the current one reports `epoch`. */
export function experimentFraction(completedRuns: number, runs: number, epoch: RunEpoch | null): number {
  const within = epoch === null ? 0 : (epoch.step - 1 + epoch.epoch / epoch.epochs) / epoch.steps;
  return Math.min(1, (completedRuns + within) / runs);
}

/**
 * Builds progress reports against one start time. Runs may go on at once (a pool of workers): the
 * fraction done sums each run's own fraction (finished runs 1), so it equals `experimentFraction`
 * when they run one after another.
 */
export class ProgressClock {
  private readonly started = performance.now();
  private readonly done: number[];

  constructor(private readonly runs: number) {
    this.done = Array.from({ length: runs }, () => 0);
  }

  /** Progress of run `index` (0-based); `finished` marks the run as done. */
  report(index: number, label: string, epoch: RunEpoch | null, finished = false): ExperimentProgress {
    this.done[index] = finished ? 1 : Math.max(this.done[index], experimentFraction(0, 1, epoch));
    const fraction = Math.min(1, this.done.reduce((sum, part) => sum + part, 0) / this.runs);
    const elapsedMs = performance.now() - this.started;
    return {
      run: index + 1,
      runs: this.runs,
      label,
      epoch: finished ? null : epoch,
      fraction,
      elapsedMs,
      etaMs: fraction > 0 ? (elapsedMs * (1 - fraction)) / fraction : null,
    };
  }
}
