/**
 * Prediction samples (DV units) of each target for dose histories, each history at its own times.
 * The same route as predictHistories — history features, branch networks, the cascade PD branch
 * fed by the PK branch — but the MC-dropout samples are returned rather than summarised, so that
 * their quantiles can be taken.
 */
import { type HistoryInputs, writeHistoryFeatures } from '../../data/features/history';
import type { FeatureModel } from '../../data/features/spec';
import { INFERENCE } from '../layers';
import { fromTargetScale } from '../metrics';
import type { TargetName } from '../network';
import { branchFor, branchOutputs, columnOf, type PkPdModel } from '../pkpd-model';
import { SeedStream } from '../random';

export interface TimedHistory {
  readonly inputs: HistoryInputs;
  readonly times: readonly number[];
}

/** MC dropout: `samples` (≥ 2) passes with dropout on, masks seeded by `seed`. */
export interface McDropout {
  readonly samples: number;
  readonly seed: number;
}

/**
 * Per target: one Float64Array per sample (a single deterministic one when `mc` is null), rows
 * history by history, then time.
 */
export function historySamples(
  model: PkPdModel,
  histories: readonly TimedHistory[],
  mc: McDropout | null,
): Partial<Record<TargetName, Float64Array[]>> {
  const rows = histories.reduce((n, h) => n + h.times.length, 0);
  const features = (fm: FeatureModel): Float64Array => {
    const out = new Float64Array(rows * fm.names.length);
    let at = 0;
    for (const h of histories) {
      writeHistoryFeatures(fm, h.inputs, h.times, out, at);
      at += h.times.length;
    }
    return out;
  };
  const out: Partial<Record<TargetName, Float64Array[]>> = {};
  for (const target of ['pk', 'pd'] as const) {
    const found = branchFor(model, target);
    if (!found) continue;
    const { branch, column, spec } = found;
    const pkBranch = branch.cascadeInput ? branchFor(model, 'pk')?.branch : undefined;
    const inputs = { rows, own: features(branch.featureModel), pk: pkBranch ? features(pkBranch.featureModel) : null };
    const random = mc ? new SeedStream(mc.seed).fork('mc-dropout') : null;
    const passes = random
      ? Array.from({ length: (mc as McDropout).samples }, () => branchOutputs(model, branch, inputs, { kind: 'mc', random }))
      : [branchOutputs(model, branch, inputs, INFERENCE)];
    out[target] = passes.map((o) =>
      Float64Array.from(columnOf(o, branch.targets.length, column), (z) =>
        fromTargetScale(z * spec.scaler.sd + spec.scaler.mean, spec.logTarget),
      ),
    );
  }
  return out;
}
