/**
 * The success criterion of the dose questions and its Monte-Carlo uncertainty: a subject succeeds
 * when PD stays below the threshold at every grid time of the last dosing interval at steady state
 * (equivalently, its maximum over the grid is below the threshold); the population's success
 * fraction comes with a Wilson score interval (binomial sampling of the virtual subjects).
 */

export const DEFAULT_THRESHOLD = 3.3;
const Z95 = 1.959963984540054;

/** True when every value of profile[offset … offset + length) is below the threshold (NaN fails). */
export function subjectSucceeds(profile: ArrayLike<number>, threshold: number, offset = 0, length = profile.length - offset): boolean {
  for (let k = offset; k < offset + length; k++) {
    if (!(profile[k] < threshold)) return false;
  }
  return length > 0;
}

/** Wilson score interval for `successes` out of `n` at confidence z (default 95%). */
export function wilsonInterval(successes: number, n: number, z = Z95): [number, number] {
  if (!(n > 0)) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface SuccessFraction {
  successes: number;
  n: number;
  fraction: number;
  /** Wilson 95% interval of the fraction. */
  ci: [number, number];
}

/** Success per subject from per-subject maxima over the interval (1 = PD below threshold throughout). */
export function successMask(maxPd: ArrayLike<number>, threshold: number): Uint8Array {
  const mask = new Uint8Array(maxPd.length);
  for (let i = 0; i < maxPd.length; i++) mask[i] = maxPd[i] < threshold ? 1 : 0;
  return mask;
}

export function successFraction(mask: ArrayLike<number>): SuccessFraction {
  let successes = 0;
  for (let i = 0; i < mask.length; i++) successes += mask[i] ? 1 : 0;
  const n = mask.length;
  return { successes, n, fraction: n > 0 ? successes / n : NaN, ci: wilsonInterval(successes, n) };
}

/** Per-subject maxima of profiles laid out [subject * points + k]. */
export function profileMaxima(profiles: ArrayLike<number>, points: number): Float64Array {
  const n = Math.floor(profiles.length / points);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let k = 0; k < points; k++) {
      const v = profiles[i * points + k];
      m = Number.isNaN(v) ? NaN : Math.max(m, v);
      if (Number.isNaN(m)) break;
    }
    out[i] = m;
  }
  return out;
}
