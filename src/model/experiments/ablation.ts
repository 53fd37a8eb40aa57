/**
 * The qubits × layers ablation (as the poster's heatmaps): one model per cell, trained with early
 * stopping on the validation subjects and scored on them. The test subjects are never read. Either
 * output head (experiment-run.ts): with the mechanistic one, each cell is a hybrid model whose
 * covariate network has the cell's circuit.
 */
import type { SplitView } from '../../data/splits/view';
import { MAX_LAYERS, MAX_QUBITS } from '../../quantum/template';
import { ModelConfigError } from '../errors';
import type { CancelSignal } from '../train-network';
import { checkQuantumEncoder, checkSettings, type ExperimentSettings, type ParameterCount, trainRun } from './experiment-run';
import { type ExperimentProgress, ProgressClock } from './progress';

export interface AblationOptions extends ExperimentSettings {
  /** A quantum encoder. */
  readonly encoder: string;
  readonly qubits: readonly number[];
  readonly layers: readonly number[];
}

export interface AblationCell {
  readonly qubits: number;
  readonly layers: number;
  /**
   * Validation RMSE of PD and PK in z-units of their training scalers, and in the endpoint's unit (the
   * study's; EstData: ng/mL); null without validation rows (PD: or in a study without a response).
   */
  readonly valPdRmseZ: number | null;
  readonly valPkRmseZ: number | null;
  readonly valPdRmse: number | null;
  readonly valPkRmse: number | null;
  readonly parameters: ParameterCount;
  /**
   * Epochs the monitored network ran, and its best (restored) epoch: direct head, the PD network (multitask: the network; a
   * study without PD: the PK network); mechanistic head, the network step of the hybrid fit's kept round.
   */
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly seconds: number;
}

export interface AblationProgress extends ExperimentProgress {
  readonly qubits: number;
  readonly layers: number;
  /** The cell, once it has finished. */
  readonly cell: AblationCell | null;
}

export interface AblationHooks {
  readonly onCell?: (progress: AblationProgress) => void;
  /** Stops the current cell's training; the cells finished before are returned. */
  readonly signal?: CancelSignal;
}

export interface AblationResult {
  /** Qubits in the given order, layers within each. */
  readonly cells: AblationCell[];
  readonly cancelled: boolean;
}

function checkAxis(name: string, values: readonly number[], max: number): void {
  if (values.length === 0) throw new ModelConfigError(`ablation: choose at least one value of ${name}`);
  if (values.some((v) => !Number.isInteger(v) || v < 1 || v > max))
    throw new ModelConfigError(`ablation: ${name} must be integers from 1 to ${max}, got ${values.join(', ')}`);
  if (new Set(values).size !== values.length)
    throw new ModelConfigError(`ablation: ${name} are repeated (${values.join(', ')}); give each value once`);
}

export async function runAblation(view: SplitView, options: AblationOptions, hooks: AblationHooks = {}): Promise<AblationResult> {
  const { encoder } = options;
  checkQuantumEncoder(encoder);
  checkSettings(options);
  checkAxis('qubits', options.qubits, MAX_QUBITS);
  checkAxis('layers', options.layers, MAX_LAYERS);
  const grid = options.qubits.flatMap((qubits) => options.layers.map((layers) => ({ qubits, layers })));
  const clock = new ProgressClock(grid.length);
  const cells: AblationCell[] = [];
  for (const [index, { qubits, layers }] of grid.entries()) {
    if (hooks.signal?.aborted) break;
    const label = `${qubits} qubits × ${layers} layers`;
    const report = (cell: AblationCell | null, epoch: AblationProgress['epoch']): void =>
      hooks.onCell?.({ ...clock.report(index, label, epoch, cell !== null), qubits, layers, cell });
    report(null, null);
    const trained = await trainRun(
      view,
      options,
      { encoder, quantumBlocks: 'circuit', nQubits: qubits, nLayers: layers },
      {
        signal: hooks.signal,
        onEpoch: (epoch) => report(null, epoch),
      },
    );
    if (!trained) break;
    try {
      const cell: AblationCell = {
        qubits,
        layers,
        valPdRmseZ: trained.validation.pd?.rmse_z ?? null,
        valPkRmseZ: trained.validation.pk?.rmse_z ?? null,
        valPdRmse: trained.validation.pd?.rmse ?? null,
        valPkRmse: trained.validation.pk?.rmse ?? null,
        parameters: trained.parameters,
        epochs: trained.monitored.epochsRun,
        bestEpoch: trained.monitored.bestEpoch,
        seconds: trained.seconds,
      };
      cells.push(cell);
      report(cell, null);
    } finally {
      trained.dispose();
    }
  }
  return { cells, cancelled: cells.length < grid.length };
}
