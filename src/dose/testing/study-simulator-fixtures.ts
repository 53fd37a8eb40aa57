/** Virtual subjects and regimens for the study simulator's tests (study-simulator.test.ts, dose-pool.test.ts). */
import type { StudyPopulationModel } from '../../pkpd/population/fit-study';
import type { DosingRegimen } from '../steady-state';
import type { StudyDoseSimulator } from '../study-simulator';
import { drawPopulation, type VirtualPopulation } from '../virtual-population';

/** Covariates of the truth scenarios' specs: WT (a truncated normal), SEX (0/1), AGE. */
export const COVARIATES = {
  WT: { normal: [75, 15] as [number, number], range: [45, 120] as [number, number] },
  SEX: { share: 0.5 },
  AGE: { uniform: [20, 70] as [number, number] },
};

/** `size` virtual subjects with COVARIATES and the simulator's random effects. */
export function population(simulator: StudyDoseSimulator, size: number, seed = 3): VirtualPopulation {
  return drawPopulation({
    size,
    seed,
    scenario: { name: 'test', covariates: COVARIATES },
    required: simulator.covariates,
    randomEffects: simulator.randomEffects,
  });
}

/** Two regimens of the model's route: oral every 24 h and 8 h; IV boluses every 12 h and 2-h infusions every 24 h. */
export function regimensOf(model: StudyPopulationModel): DosingRegimen[] {
  return model.pk.route === 'oral'
    ? [
        { interval: 24, route: 'oral' },
        { interval: 8, route: 'oral' },
      ]
    : [
        { interval: 12, route: 'bolus' },
        { interval: 24, route: 'infusion', duration: 2 },
      ];
}
