/**
 * The named parameters a structural model has: what covariate effects, random effects and fixed
 * values of a study spec may refer to. E0/BASE, EMAX/IMAX and EC50/IC50 are the names of the same
 * roles for a stimulating and an inhibiting drug.
 */
import type { ModelParameter, PdModelSpec, PkModelSpec } from './study-spec';

export function pkParameters(pk: PkModelSpec): ModelParameter[] {
  const names: ModelParameter[] = ['CL', 'V'];
  if (pk.route === 'oral') names.push('KA');
  if (pk.route === 'oral' && pk.lag) names.push('TLAG');
  if (pk.compartments !== 1) names.push('Q', 'V2');
  return names;
}

const DIRECT_INCREASE: ModelParameter[] = ['E0', 'EMAX', 'EC50'];
const DIRECT_DECREASE: ModelParameter[] = ['E0', 'IMAX', 'IC50'];

export function pdParameters(pd: PdModelSpec | undefined): ModelParameter[] {
  if (!pd) return [];
  switch (pd.family) {
    case 'direct':
    case 'effect-compartment': {
      const names = [...(pd.direction === 'increase' ? DIRECT_INCREASE : DIRECT_DECREASE)];
      if (pd.sigmoid) names.push('HILL');
      if (pd.family === 'effect-compartment') names.push('KE0');
      return names;
    }
    case 'indirect': {
      const names: ModelParameter[] = pd.type.startsWith('inhibit') ? ['BASE', 'KOUT', 'IMAX', 'IC50'] : ['BASE', 'KOUT', 'EMAX', 'EC50'];
      if (pd.sigmoid === true) names.push('HILL');
      return names;
    }
    case 'auto':
      return ['E0', 'BASE', 'EMAX', 'IMAX', 'EC50', 'IC50', 'HILL', 'KE0', 'KOUT'];
  }
}

export function modelParameters(pk: PkModelSpec, pd: PdModelSpec | undefined): ModelParameter[] {
  return [...pkParameters(pk), ...pdParameters(pd)];
}
