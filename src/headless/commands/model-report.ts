/**
 * Headless command 'model-report-demo' { csvText, fileName, seed? }: trains a tiny cascade
 * QNN-ResMLP-MoE (2 epochs, hidden 8, 2 qubits, 1 layer) on the reference split and returns its
 * report on the validation subjects (5 MC-dropout samples), its training curves and expert usage —
 * the inputs of the model result plots, whose elements this module defines on the page. The study is
 * the one proposed for the data (the EstData preset for EstData), as the headless 'train' reads it.
 */
import { datasetFingerprint } from '../../data/fingerprint';
import { createSplitView, referenceSplit } from '../../data/splits/index';
import { disposeModel, trainPkPd } from '../../model/index';
import { buildModelReport, type ModelReport, type TrainingCurvePoint } from '../../model/report/index';
import { chooseBackend } from '../../platform/compute-backend';
import { activateBackend } from '../../platform/tfjs-runtime';
import { probeWebGpu } from '../../platform/webgpu-probe';
import { proposeStudy } from '../../study/guess-spec';
import '../../ui/model/expert-usage-plot';
import '../../ui/model/pred-vs-obs-plot';
import '../../ui/model/residual-plot';
import '../../ui/model/subject-fit-plot';
import '../../ui/model/training-curve-plot';
import { type DataFileArgs, datasetOf } from '../data-file';
import { registerHeadlessCommand } from '../registry';

export interface ModelReportDemoArgs extends DataFileArgs {
  seed?: number;
}

export interface ModelReportDemo {
  report: ModelReport;
  trainingCurve: TrainingCurvePoint[];
  /** Branch → MoE block → training rows routed to each expert. */
  expertUsage: Record<string, number[][]>;
  backend: string;
}

registerHeadlessCommand('model-report-demo', async (args): Promise<ModelReportDemo> => {
  const input = args as ModelReportDemoArgs;
  const dataset = datasetOf(input);
  const backend = chooseBackend('auto', await probeWebGpu()).backend;
  await activateBackend(backend);
  const view = createSplitView(dataset, referenceSplit(dataset));
  const trained = await trainPkPd(view, {
    mode: 'cascade',
    encoder: 'qnn-resmlp-moe',
    study: proposeStudy(dataset, datasetFingerprint(dataset)).spec,
    architecture: { hidden: 8, depth: 1, nQubits: 2, nLayers: 1 },
    training: { epochs: 2, batchSize: 512 },
    seed: input.seed ?? 0,
  });
  try {
    const trainingCurve = Object.entries(trained.training).flatMap(([branch, r]) =>
      r.history.map((h) => ({ branch, epoch: h.epoch, trainLoss: h.trainLoss, valLoss: h.valLoss })),
    );
    const expertUsage = Object.fromEntries(Object.entries(trained.training).map(([branch, r]) => [branch, r.expertUsage]));
    const report = buildModelReport(trained.model, view.development, view.val, 'validation', { mcSamples: 5, seed: input.seed ?? 0 });
    return { report, trainingCurve, expertUsage, backend };
  } finally {
    disposeModel(trained.model);
  }
});
