/**
 * A hybrid model's dose run for the Doses tab: the study's population model with an encoder as its
 * covariate model (hybrid-fit.ts), fitted to every subject of the dataset (a fifth of them, drawn at
 * random, stop the network's training early), then the study's questions answered, with bands and
 * diagnostics, as the population model's are (src/dose/dose-run-report.ts `fittedRunReport`): the
 * network runs once per virtual subject, the steady state is the engine's.
 */
import type { Dataset } from '../../data/types';
import {
  checkedRunSpec,
  checkRunOptions,
  type DoseRunControl,
  type DoseRunOptions,
  fittedRunReport,
  type MechanisticRunReport,
} from '../../dose/dose-run-report';
import { pdLabel } from '../../pkpd/population/fit-study';
import { ENCODER_LABELS, type EncoderName } from '../../quantum/resources/architecture';
import type { StudySpec } from '../../study/study-spec';
import { fitHybrid } from './hybrid-fit';
import { disposeHybridModel, hybridDerivedCovariates } from './hybrid-model';

export interface HybridRunSettings {
  encoder: EncoderName;
  /** Circuit size of quantum encoders (default 8 qubits × 3 layers). */
  qubits?: number;
  layers?: number;
}

export async function runHybridDoses(
  dataset: Dataset,
  spec: StudySpec,
  options: DoseRunOptions,
  settings: HybridRunSettings,
  control: DoseRunControl = {},
): Promise<MechanisticRunReport> {
  checkRunOptions(options);
  spec = checkedRunSpec(spec);
  const started = performance.now();
  const trainIds = dataset.subjects.filter((s) => s.recordCount > 0).map((s) => s.id);
  const hybrid = await fitHybrid(
    dataset,
    spec,
    {
      encoder: settings.encoder,
      architecture: { nQubits: settings.qubits ?? 8, nLayers: settings.layers ?? 3 },
      trainIds,
      seed: spec.questions?.seed ?? 0,
    },
    {
      signal: control.signal,
      onProgress: (p) =>
        control.onProgress?.({
          stage: 'fit',
          done: p.round,
          total: p.rounds,
          message:
            p.stage === 'network'
              ? `round ${p.round} of ${p.rounds}: the covariate network${p.epoch ? `, epoch ${p.epoch.epoch}` : ''}`
              : `round ${p.round} of ${p.rounds}: the population fit`,
        }),
    },
  );
  const model = hybrid.model;
  try {
    const structure = `${model.population.pk.route === 'oral' ? 'oral' : 'IV'} ${model.population.pk.compartments}-compartment${
      model.population.pd ? `, ${pdLabel(model.population.pd)}` : ''
    }`;
    const report = await fittedRunReport(hybrid.fit, model.spec, options, control, {
      fitSeconds: (performance.now() - started) / 1000,
      label: `Hybrid: ${ENCODER_LABELS[settings.encoder]} covariate network in the population model (${structure})`,
      simulator: { derived: hybridDerivedCovariates(model) },
    });
    return { ...report, notes: [...report.notes, ...hybrid.notes] };
  } finally {
    disposeHybridModel(model);
  }
}
