/**
 * The claims check: each quantum encoder beside its width-matched classical control (same options,
 * only the circuits replaced). Both models of a pair are trained first; then each is evaluated once
 * on the withheld test subjects (evaluateFinal; the mechanistic head: evaluateHybridFinal) and timed
 * at inference. The verdicts say which of the poster's claims the numbers support.
 */
import type { SplitView } from '../../data/splits/view';
import type { EncoderName } from '../../quantum/resources/architecture';
import type { TargetMetrics } from '../metrics';
import type { QuantumBlockKind } from '../quantum-block';
import type { CancelSignal } from '../train-network';
import type { ValidationMetrics } from '../train-pkpd';
import { epochsToReach } from './epochs-to-reach';
import {
  checkQuantumEncoder,
  checkSettings,
  type ExperimentSettings,
  type ParameterCount,
  runLabel,
  type TrainedRun,
  trainRun,
} from './experiment-run';
import { type RunSchedule, runIndependent } from './independent-runs';
import { QUANTUM_ENCODERS } from './quantum-encoders';
import { type ExperimentProgress, ProgressClock, type RunEpoch } from './progress';
import { type ClaimVerdict, judgeClaims } from './verdicts';
import { experimentEndpoint } from '../report/labels';

export interface ClaimsOptions extends ExperimentSettings {
  /** Quantum encoders to check (default: all three). */
  readonly encoders?: readonly string[];
  readonly qubits: number;
  readonly layers: number;
}

export interface RmsePair {
  /** z-units of the training target scaler. */
  readonly rmseZ: number;
  /** In the endpoint's unit (the study's; EstData: ng/mL). */
  readonly rmse: number;
}

export interface TargetRmse {
  readonly pk: RmsePair | null;
  readonly pd: RmsePair | null;
}

export interface ClaimsRow {
  readonly encoder: EncoderName;
  readonly quantumBlocks: QuantumBlockKind;
  readonly label: string;
  readonly parameters: ParameterCount;
  /**
   * Best validation loss of the monitored network and its epoch (experiment-run.ts `MonitoredTraining`): direct head, MSE (z)
   * of the PD network (multitask: the network; a study without PD: the PK network); mechanistic head, mean squared η/ω of the
   * kept round's network step.
   */
  readonly bestValLoss: number;
  readonly bestEpoch: number;
  readonly epochsRun: number;
  /** First epoch whose validation loss ≤ the control's best (null: never); the control: its own best epoch. */
  readonly epochsToControlBest: number | null;
  /** Median of timed prediction passes over the development subjects: per observation (direct head), per subject (mechanistic). */
  readonly inferenceMicroseconds: number;
  readonly validation: TargetRmse;
  readonly test: TargetRmse;
  readonly trainingSeconds: number;
}

export interface ClaimsResult {
  /** Per encoder: the quantum model, then its control. */
  readonly rows: ClaimsRow[];
  readonly verdicts: ClaimVerdict[];
  readonly cancelled: boolean;
}

/** One pair of the claims check: a quantum encoder's model and its control, with their verdicts. */
export interface ClaimsPair {
  /** The quantum model, then its control. */
  readonly rows: [ClaimsRow, ClaimsRow];
  readonly verdicts: ClaimVerdict[];
}

/** Progress of one pair's trainings: which of its two runs (0: the quantum model, 1: its control), its epoch, whether it finished. */
export interface PairHooks {
  readonly onRun?: (run: 0 | 1, epoch: RunEpoch | null, finished: boolean) => void;
  readonly signal?: CancelSignal;
}

export interface ClaimsHooks {
  readonly onProgress?: (progress: ExperimentProgress) => void;
  /** Stops the current training; finished pairs are returned, an unfinished pair is dropped untested. */
  readonly signal?: CancelSignal;
  /**
   * Where the pairs train: by default here, one after another (`trainClaimsPair`); a pool of workers runs
   * several pairs at once, each by `trainClaimsPair` there. A pair is the unit, not a model: its two models
   * are read on the test subjects only once both have trained, so they stay in one worker.
   */
  readonly pairs?: RunSchedule<EncoderName, ClaimsPair, PairHooks>;
}

const rmse = (m: TargetMetrics | null): RmsePair | null => (m ? { rmseZ: m.rmse_z, rmse: m.rmse } : null);
const targetRmse = (m: ValidationMetrics): TargetRmse => ({ pk: rmse(m.pk), pd: rmse(m.pd) });

const PAIR_BLOCKS = ['circuit', 'width-matched-control'] as const;

/** The encoders of a check, after checking the options (ModelConfigError naming what is wrong). */
export function claimsEncoders(options: ClaimsOptions): EncoderName[] {
  const encoders = options.encoders ?? QUANTUM_ENCODERS;
  for (const encoder of encoders) checkQuantumEncoder(encoder);
  checkSettings(options);
  return [...encoders] as EncoderName[];
}

/**
 * Trains an encoder's quantum model and its control, then reads each once on the test subjects and
 * times it; null when cancelled (the pair is dropped untested). The same in this thread and in a pool worker.
 */
export async function trainClaimsPair(
  view: SplitView,
  options: ClaimsOptions,
  encoder: EncoderName,
  hooks: PairHooks = {},
): Promise<ClaimsPair | null> {
  const trained: TrainedRun[] = [];
  try {
    for (const run of [0, 1] as const) {
      if (hooks.signal?.aborted) return null;
      const spec = { encoder, quantumBlocks: PAIR_BLOCKS[run], nQubits: options.qubits, nLayers: options.layers };
      hooks.onRun?.(run, null, false);
      const result = await trainRun(view, options, spec, { signal: hooks.signal, onEpoch: (epoch) => hooks.onRun?.(run, epoch, false) });
      if (!result) return null;
      trained.push(result);
      hooks.onRun?.(run, null, true);
    }
    const control = trained[1];
    const tests = trained.map((t) => t.test());
    const controlBest = control.monitored.bestLoss;
    const [q, c] = trained.map((t, i): ClaimsRow => {
      const { monitored } = t;
      const spec = { encoder, quantumBlocks: PAIR_BLOCKS[i] };
      return {
        ...spec,
        label: runLabel(spec),
        parameters: t.parameters,
        bestValLoss: monitored.bestLoss,
        bestEpoch: monitored.bestEpoch,
        epochsRun: monitored.epochsRun,
        epochsToControlBest: t === control ? monitored.bestEpoch : epochsToReach(monitored.history, controlBest),
        inferenceMicroseconds: t.inferenceMicroseconds(),
        validation: targetRmse(t.validation),
        test: targetRmse(tests[i]),
        trainingSeconds: t.seconds,
      };
    });
    const per = options.head === 'mechanistic' ? 'subject' : 'observation';
    return { rows: [q, c], verdicts: judgeClaims(q, c, experimentEndpoint(options.study ?? null), per) };
  } finally {
    for (const t of trained) t.dispose();
  }
}

export async function runClaimsCheck(view: SplitView, options: ClaimsOptions, hooks: ClaimsHooks = {}): Promise<ClaimsResult> {
  const encoders = claimsEncoders(options);
  const clock = new ProgressClock(2 * encoders.length);
  const schedule = hooks.pairs ?? { parallel: 1, run: (encoder, _index, pairHooks) => trainClaimsPair(view, options, encoder, pairHooks) };
  const pairs = await runIndependent(
    encoders,
    schedule.parallel,
    (encoder, pair) => {
      const onRun = (run: 0 | 1, epoch: RunEpoch | null, finished: boolean): void => {
        const label = runLabel({ encoder, quantumBlocks: PAIR_BLOCKS[run] });
        hooks.onProgress?.(clock.report(2 * pair + run, label, epoch, finished));
      };
      return schedule.run(encoder, pair, { signal: hooks.signal, onRun });
    },
    { signal: hooks.signal },
  );
  const done = pairs.filter((pair): pair is ClaimsPair => pair !== null);
  const rows = done.flatMap((pair) => pair.rows);
  return { rows, verdicts: done.flatMap((pair) => pair.verdicts), cancelled: rows.length < 2 * encoders.length };
}
