/**
 * A simulated trial with observations below a limit of quantification, with known truth (Node tests
 * and the browser tests): one-compartment oral PK (CL 5 L/h, V 50 L, KA 1/h; ω CL 0.3, V 0.2;
 * exponential error 0.2), 60 subjects, one 100 mg dose, nine samples to 48 h; about 40 % of the
 * concentrations fall below the LOQ of 0.4 mg/L. `convention` writes them in a file's convention:
 * Monolix/nlmixr2 (CENS = 1, DV = the LOQ), NONMEM (MDV = 1, DV missing, BLQ = 1 with LLOQ), or
 * discarded (the rows left out).
 */
import type { StudySpec } from '../../../study/study-spec';
import { describeSpecProblems, readStudySpec } from '../../../study/study-spec-reader';
import type { StudyPopulationModel } from '../fit-study';
import { simulateStudyTrial, truthModel } from '../simulate-study';

export const BLQ_LOQ = 0.4;
export const BLQ_TRUTH = { CL: 5, V: 50, KA: 1 };

export function blqTrialSpec(): StudySpec {
  const reading = readStudySpec({
    format: 'qpkpd-study',
    version: 1,
    name: 'BLQ truth',
    units: { time: 'h', amount: 'mg', concentration: 'mg/L', response: 'units' },
    endpoints: { pk: { dvid: 1 } },
    groupBy: 'regimen',
    model: { pk: { route: 'oral', compartments: 1 }, randomEffects: ['CL', 'V'], error: { pk: { exponential: 0.2 } } },
  });
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
}

export function blqTruthModel(study: StudySpec = blqTrialSpec()): StudyPopulationModel {
  return truthModel(
    study,
    { pk: { ...study.model.pk, compartments: 1 } },
    BLQ_TRUTH,
    { CL: 0.3, V: 0.2 },
    {
      pk: { scale: 'log', additive: 0.2, proportional: 0 },
    },
  );
}

/** The simulated trial's CSV (every concentration as simulated). */
export function blqTrialCsv(seed = 2024): string {
  const study = blqTrialSpec();
  return simulateStudyTrial(
    study,
    blqTruthModel(study),
    {
      arms: [{ dose: 100, subjects: 60 }],
      regimen: { route: 'oral', interval: 24, count: 1 },
      pkTimes: [0.5, 1, 2, 4, 8, 12, 24, 36, 48],
      pdTimes: [],
      covariates: {},
    },
    seed,
  ).csv;
}

/** The file's BLQ observations rewritten by `rewrite` (null: the row is dropped), `extra` added to the header. */
export function blqConvention(csv: string, extra: string, rewrite: (cells: string[], below: boolean) => string[] | null): string {
  const [header, ...rows] = csv.trim().split('\n');
  const names = header.split(',');
  const dv = names.indexOf('DV');
  const evid = names.indexOf('EVID');
  const out = [header + extra];
  for (const row of rows) {
    const cells = row.split(',');
    const observation = cells[evid] === '0';
    const cellsOut = rewrite(cells, observation && Number(cells[dv]) < BLQ_LOQ);
    if (cellsOut) out.push(cellsOut.join(','));
  }
  return out.join('\n');
}

/** Monolix/nlmixr2's convention: CENS = 1 with DV = the LOQ. */
export function censConvention(csv: string): string {
  const dv = csv.split('\n')[0].split(',').indexOf('DV');
  return blqConvention(csv, ',CENS', (c, below) => (below ? [...c.slice(0, dv), String(BLQ_LOQ), ...c.slice(dv + 1), '1'] : [...c, '0']));
}
