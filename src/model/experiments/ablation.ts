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
import {
  checkQuantumEncoder,
  checkSettings,
  type ExperimentSettings,
  type ParameterCount,
  type RunHooks,
  trainRun,
} from './experiment-run';
import { type RunSchedule, runIndependent } from './independent-runs';
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

/** One cell of the grid: the circuit size of one training. */
export interface AblationCellSpec {
  readonly qubits: number;
  readonly layers: number;
}

export interface AblationHooks {
  readonly onCell?: (progress: AblationProgress) => void;
  /** Stops the cells' training; the cells finished before are returned. */
  readonly signal?: CancelSignal;
  /**
   * Where the cells train: by default here, one after another in the grid's order (`trainAblationCell`);
   * a pool of workers runs several at once, each cell by `trainAblationCell` there, the costliest first.
   */
  readonly cells?: RunSchedule<AblationCellSpec, AblationCell, RunHooks>;
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

/** The grid's cells, qubits outer and layers inner, after checking the options (ModelConfigError naming what is wrong). */
export function ablationGrid(options: AblationOptions): AblationCellSpec[] {
  checkQuantumEncoder(options.encoder);
  checkSettings(options);
  checkAxis('qubits', options.qubits, MAX_QUBITS);
  checkAxis('layers', options.layers, MAX_LAYERS);
  return options.qubits.flatMap((qubits) => options.layers.map((layers) => ({ qubits, layers })));
}

/** A cell's relative training cost, for the order of a parallel run: the state vector's size times the layers. */
export const ablationCellCost = ({ qubits, layers }: AblationCellSpec): number => 2 ** qubits * layers;

/** Trains one cell and reads its validation metrics; null when cancelled. The same in this thread and in a pool worker. */
export async function trainAblationCell(
  view: SplitView,
  options: AblationOptions,
  { qubits, layers }: AblationCellSpec,
  hooks: RunHooks = {},
): Promise<AblationCell | null> {
  checkQuantumEncoder(options.encoder);
  const trained = await trainRun(
    view,
    options,
    { encoder: options.encoder, quantumBlocks: 'circuit', nQubits: qubits, nLayers: layers },
    hooks,
  );
  if (!trained) return null;
  try {
    return {
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
  } finally {
    trained.dispose();
  }
}

export async function runAblation(view: SplitView, options: AblationOptions, hooks: AblationHooks = {}): Promise<AblationResult> {
  const grid = ablationGrid(options);
  const clock = new ProgressClock(grid.length);
  const schedule = hooks.cells ?? { parallel: 1, run: (cell, _index, runHooks) => trainAblationCell(view, options, cell, runHooks) };
  const report = (index: number, cell: AblationCell | null, epoch: AblationProgress['epoch']): void => {
    const { qubits, layers } = grid[index];
    hooks.onCell?.({ ...clock.report(index, `${qubits} qubits × ${layers} layers`, epoch, cell !== null), qubits, layers, cell });
  };
  const results = await runIndependent(
    grid,
    schedule.parallel,
    async (cell, index) => {
      report(index, null, null);
      const done = await schedule.run(cell, index, { signal: hooks.signal, onEpoch: (epoch) => report(index, null, epoch) });
      if (done) report(index, done, null);
      return done;
    },
    { signal: hooks.signal, cost: ablationCellCost },
  );
  const cells = results.filter((cell): cell is AblationCell => cell !== null);
  return { cells, cancelled: cells.length < grid.length };
}
