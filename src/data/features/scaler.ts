/**
 * z-score scaling fitted on training rows only. Population SD (divide by n). A feature whose SD is
 * zero (or negligible against its mean) is flagged constant and gets SD 1, so it maps to 0 on the
 * training rows instead of dividing by zero. Serialisable as plain JSON.
 */

export interface FeatureScaler {
  version: 1;
  names: string[];
  mean: number[];
  sd: number[];
  /** True where the feature was constant on the training rows (its SD set to 1). */
  constant: boolean[];
  /** Training rows the statistics came from. */
  rows: number;
}

export interface TargetScaler {
  version: 1;
  mean: number;
  sd: number;
  constant: boolean;
  rows: number;
}

function isConstant(sd: number, mean: number): boolean {
  return !(sd > 1e-12 * Math.max(1, Math.abs(mean)));
}

/** Fits per-column mean/SD over the rows of a row-major matrix (all rows, or only `rowIndices`). */
export function fitFeatureScaler(matrix: ArrayLike<number>, names: readonly string[], rowIndices?: ArrayLike<number>): FeatureScaler {
  const nF = names.length;
  if (nF === 0) throw new Error('scaler: no features');
  if (matrix.length % nF !== 0) throw new Error(`scaler: matrix length ${matrix.length} is not a multiple of ${nF} features`);
  const total = matrix.length / nF;
  const n = rowIndices ? rowIndices.length : total;
  if (n === 0) throw new Error('scaler: no training rows');
  const row = (i: number): number => (rowIndices ? rowIndices[i] : i);
  const sum = new Float64Array(nF);
  for (let i = 0; i < n; i++) {
    const base = row(i) * nF;
    for (let f = 0; f < nF; f++) {
      const v = matrix[base + f];
      if (!Number.isFinite(v)) throw new Error(`scaler: feature ${names[f]} is ${v} on row ${row(i)}`);
      sum[f] += v;
    }
  }
  const mean = Array.from(sum, (s) => s / n);
  const ss = new Float64Array(nF);
  for (let i = 0; i < n; i++) {
    const base = row(i) * nF;
    for (let f = 0; f < nF; f++) ss[f] += (matrix[base + f] - mean[f]) ** 2;
  }
  const rawSd = Array.from(ss, (s) => Math.sqrt(s / n));
  const constant = rawSd.map((sd, f) => isConstant(sd, mean[f]));
  return { version: 1, names: [...names], mean, sd: rawSd.map((sd, f) => (constant[f] ? 1 : sd)), constant, rows: n };
}

/** (x − mean) / sd per column; Float32Array for network input unless told otherwise. */
export function scaleFeatures(
  scaler: FeatureScaler,
  matrix: ArrayLike<number>,
  out?: Float32Array | Float64Array,
): Float32Array | Float64Array {
  const nF = scaler.names.length;
  if (matrix.length % nF !== 0) throw new Error(`scaler: matrix length ${matrix.length} is not a multiple of ${nF} features`);
  const result = out ?? new Float32Array(matrix.length);
  if (result.length !== matrix.length) throw new Error('scaler: output length differs from input');
  for (let i = 0; i < matrix.length; i += nF) {
    for (let f = 0; f < nF; f++) result[i + f] = (matrix[i + f] - scaler.mean[f]) / scaler.sd[f];
  }
  return result;
}

export function unscaleFeatures(scaler: FeatureScaler, z: ArrayLike<number>): Float64Array {
  const nF = scaler.names.length;
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length; i += nF) {
    for (let f = 0; f < nF; f++) out[i + f] = z[i + f] * scaler.sd[f] + scaler.mean[f];
  }
  return out;
}

export function fitTargetScaler(values: ArrayLike<number>, rowIndices?: ArrayLike<number>): TargetScaler {
  const s = fitFeatureScaler(rowIndices ? Float64Array.from(rowIndices, (i) => values[i]) : values, ['target']);
  return { version: 1, mean: s.mean[0], sd: s.sd[0], constant: s.constant[0], rows: s.rows };
}

export function scaleTarget(
  scaler: TargetScaler,
  values: ArrayLike<number>,
  out?: Float32Array | Float64Array,
): Float32Array | Float64Array {
  const result = out ?? new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) result[i] = (values[i] - scaler.mean) / scaler.sd;
  return result;
}

export function unscaleTarget(scaler: TargetScaler, z: ArrayLike<number>): Float64Array {
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = z[i] * scaler.sd + scaler.mean;
  return out;
}

export function scalerToJSON(scaler: FeatureScaler | TargetScaler): string {
  return JSON.stringify(scaler);
}

export function featureScalerFromJSON(text: string): FeatureScaler {
  const s = JSON.parse(text) as FeatureScaler;
  const n = Array.isArray(s?.names) ? s.names.length : -1;
  if (s?.version !== 1 || n <= 0 || s.mean?.length !== n || s.sd?.length !== n || s.constant?.length !== n) {
    throw new Error('scaler: not a feature scaler (version 1)');
  }
  if (s.sd.some((v) => !(v > 0)) || s.mean.some((v) => !Number.isFinite(v))) throw new Error('scaler: invalid statistics');
  return s;
}

export function targetScalerFromJSON(text: string): TargetScaler {
  const s = JSON.parse(text) as TargetScaler;
  if (s?.version !== 1 || !Number.isFinite(s.mean) || !(s.sd > 0)) throw new Error('scaler: not a target scaler (version 1)');
  return s;
}
