/** Words for the Model view's values: network names, splits, default model names, durations. */
import type { TargetMetrics } from '../../model/metrics';
import { endpointTitle, type ReportLabels } from '../../model/report/labels';
import type { SubjectMetrics, TrainedModelFacts } from '../../model/trained-model';
import type { TrainingSplit } from '../../model/training-config';
import { ENCODER_LABELS } from '../../quantum/resources/architecture';
import { NAME_MAX_LENGTH } from '../../store/names';
import { formatSignificant } from '../../text/format';

const BRANCH_LABELS: Readonly<Record<string, string>> = { pk: 'PK network', pd: 'PD network', pkpd: 'PK/PD network' };

/** "PK network", …; a round of the mechanistic head's fit: "covariate network, round 2"; the covariate network's size: "covariate network". */
export function branchLabel(branch: string): string {
  const round = /^round(\d+)$/.exec(branch);
  if (round) return `covariate network, round ${round[1]}`;
  return branch === 'hybrid' ? 'covariate network' : (BRANCH_LABELS[branch] ?? `${branch.toUpperCase()} network`);
}

export function splitLabel(split: TrainingSplit): string {
  return split === 'reference' ? 'Reference' : `Cross-validation fold ${split.slice(-1)} of 5`;
}

/** "ResMLP-MoE cascade · EstData": the encoder, the mode and the dataset, its name shortened with "…" to keep within NAME_MAX_LENGTH. */
export function defaultModelName(facts: TrainedModelFacts): string {
  const how = facts.config.head === 'mechanistic' ? 'hybrid' : facts.config.mode;
  const prefix = `${ENCODER_LABELS[facts.config.encoder]} ${how} · `;
  const room = NAME_MAX_LENGTH - prefix.length;
  const name = facts.datasetName;
  if (name.length <= room) return prefix + name;
  let end = room - 1;
  const last = name.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // never cut a surrogate pair in two
  return `${prefix}${name.slice(0, end)}…`;
}

/** "4:05", "1 h 12 min"; "–" when unknown. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const seconds = Math.round(ms / 1000);
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m}:${String(s).padStart(2, '0')}`;
}

/**
 * What a cancelled training kept, in words: each network's best epoch; in a study with a response
 * endpoint (`hasPd`) whose PD network never finished an epoch, that the model predicts PK only.
 */
export function cancelledSummary(facts: Pick<TrainedModelFacts, 'config' | 'epochs'>, hasPd: boolean): string {
  const kept = Object.entries(facts.epochs)
    .map(([branch, e]) => `the ${branchLabel(branch)}'s best epoch (${e.best} of ${e.run} run)`)
    .join(' and ');
  const pdMissing = hasPd && facts.config.mode !== 'multitask' && !facts.epochs.pd;
  return pdMissing ? `${kept}; the PD network was not trained, so it predicts PK only` : kept;
}

/** The number a saved model's row shows: the RMSE of its response (PD), or of PK when it predicts no PD. */
export interface HeadlineMetric {
  readonly target: 'pk' | 'pd';
  /** "PD (Biomarker)", "PK (Theophylline)". */
  readonly endpoint: string;
  /** "0.93 ng/mL"; "–" when not measured. */
  readonly value: (metrics: SubjectMetrics | null) => string;
}

/** The headline RMSE of a model, in its endpoint's unit (`labels`: trainedModelLabels). */
export function headlineMetric(facts: Pick<TrainedModelFacts, 'validation' | 'epochs'>, labels: ReportLabels): HeadlineMetric {
  const predictsPd = facts.validation.pd !== null || 'pd' in facts.epochs || 'pkpd' in facts.epochs;
  const target = predictsPd ? 'pd' : 'pk';
  const { name, unit } = labels[target];
  const format = (m: TargetMetrics | null): string => (m ? `${formatSignificant(m.rmse)}${unit ? ` ${unit}` : ''}` : '–');
  return { target, endpoint: endpointTitle({ target, name }), value: (metrics) => format(metrics?.[target] ?? null) };
}
