/**
 * Parameter uncertainty of a fitted population model: models drawn from the asymptotic distribution
 * of the estimates, x ~ N(x̂, Cov) on FOCE's estimation scale (each θ's own transform — log for
 * positive parameters, logit for IMAX, identity for exponents and signed parameters — and log for
 * the between-subject SDs), fixed effects and SDs together. PK and PD are fitted sequentially, so
 * their draws are independent (the PK–PD cross-covariance is not available); PK is drawn first.
 * Parameters without a standard error (set aside by the covariance step) and fixed ones stay at
 * their values. Residual errors do not matter for dose questions.
 *
 * `drawStudyModel` draws from a study fit (src/pkpd/population); `drawPopulationModel` from the
 * EstData-only fit (src/pkpd/pkpd-fit.ts) for the compatibility path (five-questions.ts). Both take
 * the same draws from the same rng: on EstData, where the two fits agree bit for bit, they give the
 * same models.
 */
import type { PdEtaName, PdFixedEffects, PkEtaName, PkFixedEffects } from '../pkpd/covariates';
import type { FoceResult } from '../pkpd/foce';
import { cholesky } from '../pkpd/linalg';
import type { PkpdFitResult } from '../pkpd/pkpd-fit';
import type { StudyFitResult, StudyPopulationModel } from '../pkpd/population/fit-study';
import type { PopulationModel } from '../pkpd/population-model';
import type { Rng } from '../pkpd/random';
import type { ModelParameter } from '../study/study-spec';

type Transform = 'log' | 'logit' | 'identity';

const PK_FIELDS: Record<string, { field: keyof PkFixedEffects; transform: Transform }> = {
  CL: { field: 'cl', transform: 'log' },
  V: { field: 'v', transform: 'log' },
  ka: { field: 'ka', transform: 'log' },
  Q: { field: 'q', transform: 'log' },
  V2: { field: 'v2', transform: 'log' },
  beta_CL: { field: 'betaCl', transform: 'identity' },
  beta_V: { field: 'betaV', transform: 'identity' },
  COMED_CL: { field: 'comedOnCl', transform: 'log' },
};

const PD_FIELDS: Record<string, { field: keyof PdFixedEffects; transform: Transform }> = {
  BASE: { field: 'base', transform: 'log' },
  COMED_BASE: { field: 'comedOnBase', transform: 'log' },
  kout: { field: 'kout', transform: 'log' },
  Imax: { field: 'imax', transform: 'logit' },
  IC50: { field: 'ic50', transform: 'log' },
};

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

function transformFor(fields: Record<string, { transform: Transform }>): (name: string) => Transform | null {
  return (name) => fields[name]?.transform ?? (omegaName(name) ? 'log' : null);
}

/**
 * A population model drawn from the fit's estimation uncertainty, or null when either fit has no
 * covariance matrix (the caller then reports that no uncertainty band could be made).
 */
export function drawPopulationModel(fit: PkpdFitResult, rng: Rng): PopulationModel | null {
  const pkDraw = drawFoce(fit.pk.foce, transformFor(PK_FIELDS), rng);
  const pdDraw = drawFoce(fit.pd.foce, transformFor(PD_FIELDS), rng);
  if (!pkDraw || !pdDraw) return null;
  const base = fit.model;
  const pkFixed: PkFixedEffects = { ...base.pk.fixed };
  const pkOmega: Partial<Record<PkEtaName, number>> = { ...base.pk.omega };
  for (const [name, value] of pkDraw.values) {
    const spec = PK_FIELDS[name];
    if (spec) (pkFixed as unknown as Record<string, number>)[spec.field] = value;
    const eta = omegaName(name);
    if (eta) pkOmega[eta as PkEtaName] = value;
  }
  const pdFixed: PdFixedEffects = { ...base.pd.fixed };
  const pdOmega: Partial<Record<PdEtaName, number>> = { ...base.pd.omega };
  for (const [name, value] of pdDraw.values) {
    const spec = PD_FIELDS[name];
    if (spec) pdFixed[spec.field] = value;
    const eta = omegaName(name);
    if (eta) pdOmega[eta as PdEtaName] = value;
  }
  return {
    pk: { ...base.pk, fixed: pkFixed, omega: pkOmega },
    pd: { ...base.pd, fixed: pdFixed, omega: pdOmega },
  };
}

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
