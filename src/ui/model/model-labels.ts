/** Words for the Model view's values: network names, splits, default model names, durations. */
import type { TrainedModelFacts } from '../../model/trained-model';
import type { TrainingSplit } from '../../model/training-config';
import { ENCODER_LABELS } from '../../quantum/resources/architecture';
import { NAME_MAX_LENGTH } from '../../store/names';

export const BRANCH_LABELS: Readonly<Record<string, string>> = { pk: 'PK network', pd: 'PD network', pkpd: 'PK/PD network' };

export function splitLabel(split: TrainingSplit): string {
  return split === 'reference' ? 'Reference' : `Cross-validation fold ${split.slice(-1)} of 5`;
}

/** "ResMLP-MoE cascade · EstData": the encoder, the mode and the dataset, its name shortened with "…" to keep within NAME_MAX_LENGTH. */
export function defaultModelName(facts: TrainedModelFacts): string {
  const prefix = `${ENCODER_LABELS[facts.config.encoder]} ${facts.config.mode} · `;
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
