/**
 * Parameter uncertainty of a fitted population model: models drawn from the asymptotic distribution
 * of the estimates, x ~ N(x̂, Cov) on FOCE's estimation scale (each θ's own transform — log for
 * positive parameters, logit for IMAX, identity for exponents and signed parameters — and log for
 * the between-subject SDs), fixed effects and SDs together. PK and PD are fitted sequentially, so
 * their draws are independent (the PK–PD cross-covariance is not available); PK is drawn first.
 * Parameters without a standard error (set aside by the covariance step) and fixed ones stay at
 * their values. Residual errors do not matter for dose questions.
 *
 * `drawStudyModel` draws from a study fit (src/pkpd/population). On EstData it takes the same draws
 * from the same rng as the EstData-only engine it replaced (commit bc03053), so the bands are the
 * same (dose-questions.test.ts).
 */
import type { FoceResult, Transform } from '../pkpd/foce';
import { cholesky } from '../pkpd/linalg';
import type { StudyFitResult, StudyPopulationModel } from '../pkpd/population/fit-study';
import type { Rng } from '../pkpd/random';
import type { ModelParameter } from '../study/study-spec';

const forward = (t: Transform, v: number): number => (t === 'log' ? Math.log(v) : t === 'logit' ? Math.log(v / (1 - v)) : v);
const backward = (t: Transform, x: number): number => (t === 'log' ? Math.exp(x) : t === 'logit' ? 1 / (1 + Math.exp(-x)) : x);

interface Draw {
  names: string[];
  values: Map<string, number>;
}

/** One draw of the estimated parameters (natural scale) by name; null when there is no usable covariance. */
function drawFoce(foce: FoceResult, transformOf: (name: string) => Transform | null, rng: Rng): Draw | null {
  const cov = foce.covariance;
  if (!cov) return null;
  const names = foce.covarianceNames;
  const n = names.length;
  const usable: number[] = [];
  for (let a = 0; a < n; a++) {
    if (transformOf(names[a]) !== null && Number.isFinite(cov[a * n + a]) && cov[a * n + a] > 0) usable.push(a);
  }
  const m = usable.length;
  const sub = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = cov[usable[a] * n + usable[b]];
  const l = cholesky(sub, m);
  if (!l) return null;
  const z = Float64Array.from({ length: m }, () => rng.normal());
  const values = new Map<string, number>();
  for (let a = 0; a < m; a++) {
    const name = names[usable[a]];
    const estimate = foce.parameters.find((p) => p.name === name)!.estimate;
    const t = transformOf(name)!;
    let x = forward(t, estimate);
    for (let b = 0; b <= a; b++) x += l[a * m + b] * z[b];
    values.set(name, backward(t, x));
  }
  return { names: usable.map((a) => names[a]), values };
}

const omegaName = (name: string): string | null => (name.startsWith('omega(') && name.endsWith(')') ? name.slice(6, -1) : null);

/**
 * A study population model drawn from the fit's estimation uncertainty, or null when a fitted
 * stage has no covariance matrix (the caller then reports that no uncertainty band could be made).
 */
export function drawStudyModel(fit: StudyFitResult, rng: Rng): StudyPopulationModel | null {
  const base = fit.model;
  const theta = { ...base.theta };
  const omega: Partial<Record<ModelParameter, number>> = { ...base.omega };
  for (const stage of [fit.pk, fit.pd]) {
    if (!stage) continue;
    const transforms = new Map(stage.model.thetas.filter((t) => !t.fixed).map((t) => [t.name, t.transform]));
    const draw = drawFoce(stage.foce, (name) => transforms.get(name) ?? (omegaName(name) ? 'log' : null), rng);
    if (!draw) return null;
    for (const [name, value] of draw.values) {
      const eta = omegaName(name);
      if (eta) omega[eta as ModelParameter] = value;
      else theta[name] = value;
    }
  }
  return { ...base, theta, omega };
}
