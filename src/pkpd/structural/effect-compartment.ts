/**
 * Effect compartment (biophase): dCe/dt = KE0 (C − Ce), Ce = 0 before any dose. It is one more
 * first-order stage of gain 1 behind the central concentration, so the impulse response of Ce to
 * each input is the central one convolved with KE0 e^{−KE0 t}:
 *   Ce(t) = Σ_j c_j KE0 (e^{−λ_j t} − e^{−KE0 t}) / (KE0 − λ_j),
 * again a sum of exponentials (rates {λ_j} ∪ {KE0}; pk.ts `cascade`, which also handles KE0 within
 * 3e-6 of a disposition rate or of KA). Everything pk.ts does with polyexponentials therefore holds
 * for Ce in closed form: superposition over any dose history, infusions, lags, steady-state (SS=1)
 * doses and the periodic steady state of a regimen (the same plans, other responses).
 */
import { evaluatePk, inputResponses, type InputNeeds, type InputResponses, type PkPlan, type PkRates } from './pk';

/** Impulse responses of the effect-site concentration Ce to each input (or to those in `needs`). */
export function effectSiteResponses(p: PkRates, ke0: number, needs?: InputNeeds): InputResponses {
  return inputResponses(p, [ke0], needs);
}

/** Ce at a plan's times (pk.ts `planPk` or `planSteadyState`, the latter scaled by the amount). */
export function effectSiteConcentration(plan: PkPlan, p: PkRates, ke0: number, out?: Float64Array): Float64Array {
  return evaluatePk(plan, effectSiteResponses(p, ke0), out);
}
