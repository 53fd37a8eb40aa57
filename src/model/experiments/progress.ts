/**
 * Progress of an experiment made of several training runs (grid cells, or models of the claims
 * check): which run, its current epoch, the fraction done and the time left. A run counts its
 * branches in training order (PK then PD, or the one multitask network), each branch by its epochs
 * out of the maximum — early stopping makes the estimate err on the long side.
 */
import type { ModelMode } from '../pkpd-model';
import type { BranchProgress } from '../train-pkpd';

export interface ExperimentProgress {
  /** 1-based index of the training run in progress (or just finished). */
  readonly run: number;
  readonly runs: number;
  /** What the run trains, in words ("4 qubits × 2 layers", "QNN-MLP control"). */
  readonly label: string;
  /** The run's latest epoch; null when the run starts or has finished. */
  readonly epoch: BranchProgress | null;
  /** Fraction of the whole experiment done, 0..1. */
  readonly fraction: number;
  readonly elapsedMs: number;
  /** Estimated time left; null before anything is measured. */
  readonly etaMs: number | null;
}

const branchOrder = (mode: ModelMode): readonly string[] => (mode === 'multitask' ? ['pkpd'] : ['pk', 'pd']);

/** Fraction done when `completedRuns` runs have finished and the current one reports `epoch`. */
export function experimentFraction(completedRuns: number, runs: number, mode: ModelMode, epoch: BranchProgress | null): number {
  const branches = branchOrder(mode);
  const within = epoch === null ? 0 : (Math.max(0, branches.indexOf(epoch.branch)) + epoch.epoch / epoch.epochs) / branches.length;
  return Math.min(1, (completedRuns + within) / runs);
}

/** Builds progress reports against one start time. */
export class ProgressClock {
  private readonly started = performance.now();

  constructor(
    private readonly runs: number,
    private readonly mode: ModelMode,
  ) {}

  /** Progress of run `index` (0-based); `finished` marks the run as done. */
  report(index: number, label: string, epoch: BranchProgress | null, finished = false): ExperimentProgress {
    const fraction = finished ? (index + 1) / this.runs : experimentFraction(index, this.runs, this.mode, epoch);
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
