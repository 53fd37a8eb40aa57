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
import { QUANTUM_ENCODERS } from './quantum-encoders';
import { type ExperimentProgress, ProgressClock } from './progress';
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

export interface ClaimsHooks {
  readonly onProgress?: (progress: ExperimentProgress) => void;
  /** Stops the current training; finished pairs are returned, an unfinished pair is dropped untested. */
  readonly signal?: CancelSignal;
}

const rmse = (m: TargetMetrics | null): RmsePair | null => (m ? { rmseZ: m.rmse_z, rmse: m.rmse } : null);
const targetRmse = (m: ValidationMetrics): TargetRmse => ({ pk: rmse(m.pk), pd: rmse(m.pd) });

export async function runClaimsCheck(view: SplitView, options: ClaimsOptions, hooks: ClaimsHooks = {}): Promise<ClaimsResult> {
  const encoders = options.encoders ?? QUANTUM_ENCODERS;
  for (const encoder of encoders) checkQuantumEncoder(encoder);
  checkSettings(options);
  const runs = (encoders as EncoderName[]).flatMap((encoder) =>
    (['circuit', 'width-matched-control'] as const).map((quantumBlocks) => ({ encoder, quantumBlocks })),
  );
  const clock = new ProgressClock(runs.length);
  const rows: ClaimsRow[] = [];
  const verdicts: ClaimVerdict[] = [];
  for (let pair = 0; pair < runs.length / 2; pair++) {
    const trained: TrainedRun[] = [];
    try {
      for (const index of [2 * pair, 2 * pair + 1]) {
        if (hooks.signal?.aborted) break;
        const spec = { ...runs[index], nQubits: options.qubits, nLayers: options.layers };
        const label = runLabel(spec);
        hooks.onProgress?.(clock.report(index, label, null));
        const result = await trainRun(view, options, spec, {
          signal: hooks.signal,
          onEpoch: (epoch) => hooks.onProgress?.(clock.report(index, label, epoch)),
        });
        if (!result) break;
        trained.push(result);
        hooks.onProgress?.(clock.report(index, label, null, true));
      }
      if (trained.length < 2) break;
      const control = trained[1];
      const tests = trained.map((t) => t.test());
      const controlBest = control.monitored.bestLoss;
      const [q, c] = trained.map((t, i): ClaimsRow => {
        const { monitored } = t;
        const spec = runs[2 * pair + i];
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
      rows.push(q, c);
      const per = options.head === 'mechanistic' ? 'subject' : 'observation';
      for (const verdict of judgeClaims(q, c, experimentEndpoint(options.study ?? null), per)) verdicts.push(verdict);
    } finally {
      for (const t of trained) t.dispose();
    }
  }
  return { rows, verdicts, cancelled: rows.length < runs.length };
}
