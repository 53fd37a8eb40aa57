/**
 * A branch's raw network inputs checked before the feature scaler and the network see them: a value
 * that is not a finite number is reported in words a user can act on — which input, how many
 * observations, the first one's subject and file line, and what to do — rather than as the
 * scaler's or the network's technical failure ("scaler: feature PK_PRED is NaN on row 3").
 */
import { ModelDataError } from './errors';
import { CASCADE_FEATURE } from './pkpd-model';

/** Where a row of inputs comes from. */
export interface InputRowSource {
  /** The subject's ID as in the file. */
  readonly subject: string;
  /** 1-based line of the observation in the file. */
  readonly line: number;
}

/**
 * Throws ModelDataError when a value of the row-major [rows × names.length] `values` is not finite.
 * `rows` names the rows' observations ("training", "validation").
 */
export function checkFiniteInputs(
  values: ArrayLike<number>,
  names: readonly string[],
  sourceOf: (row: number) => InputRowSource,
  rows: string,
): void {
  const nF = names.length;
  const n = nF === 0 ? 0 : values.length / nF;
  let firstRow = -1;
  let firstFeature = -1;
  let badRows = 0;
  const badFeatures = new Set<number>();
  for (let r = 0; r < n; r++) {
    let bad = false;
    for (let f = 0; f < nF; f++) {
      if (Number.isFinite(values[r * nF + f])) continue;
      bad = true;
      badFeatures.add(f);
      if (firstRow < 0) {
        firstRow = r;
        firstFeature = f;
      }
    }
    if (bad) badRows++;
  }
  if (firstRow < 0) return;
  const { subject, line } = sourceOf(firstRow);
  const where = `${badRows} ${rows} observation${badRows === 1 ? '' : 's'} (the first: subject ${subject}, line ${line} of the file)`;
  const others = badFeatures.size - 1;
  const also = others > 0 ? ` ${others} other input${others === 1 ? ' is' : 's are'} not finite there too.` : '';
  const name = names[firstFeature];
  if (name === CASCADE_FEATURE) {
    throw new ModelDataError(
      `The PK network's predictions, which the PD network reads in cascade mode, are not finite numbers at ${where}: the PK ` +
        `network's training went wrong.${also} Train again with a lower learning rate or another seed, or choose the independent ` +
        'or multitask mode.',
    );
  }
  throw new ModelDataError(
    `The model input “${name}”, computed from the file, is not a finite number at ${where}.${also} Check that subject's records ` +
      '(TIME, AMT, DV and the covariates) for empty, NA or extreme values, correct the file and load it again.',
  );
}
