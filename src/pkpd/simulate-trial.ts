/**
 * Simulated trials in EstData's layout from a known population model: arms of daily doses,
 * BW uniform over a range, COMED Bernoulli, log-normal η, PK and PD sampled at EstData's times,
 * residual error added, written as a CSV string (ID,BW,COMED,DOSE,TIME,DV,EVID,MDV,AMT,CMT,DVID)
 * that `ingestText` accepts. Deterministic for a given seed.
 */
import { individualPd, individualPk, PD_ETA_NAMES, PK_ETA_NAMES, type PdEtas, type PkEtas } from './covariates';
import { regimen } from './dose-history';
import { simulateIndirectResponse, type IndirectResponseParameters } from './indirect-response';
import { concentrationAt, type PkParameters } from './pk-model';
import { sampleEtas, type PopulationModel } from './population-model';
import { createRng } from './random';

export interface TrialArm {
  /** Daily dose (mg); 0 for placebo (no dose records). */
  dose: number;
  subjects: number;
}

export interface TrialDesign {
  arms: TrialArm[];
  doseInterval: number;
  doseCount: number;
  bwRange: [number, number];
  /** Decimals BW is rounded to (EstData: whole kg). */
  bwDecimals: number;
  comedProbability: number;
  /** PK sampling times (h); none for placebo subjects. */
  pkTimes: number[];
  /** PD sampling times (h). */
  pdTimes: number[];
}

/** PK sampling times of EstData (docs/reference-system.md, "Data facts"). */
export const ESTDATA_PK_TIMES = [
  1, 2, 4, 8, 12, 24, 36, 48, 72, 168, 336, 480, 481, 482, 484, 488, 492, 504, 552, 600, 672, 840, 1008, 1176,
];
/** PD sampling times of EstData: the PK times plus 0. */
export const ESTDATA_PD_TIMES = [0, ...ESTDATA_PK_TIMES];

export const ESTDATA_DESIGN: TrialDesign = {
  arms: [0, 1, 3, 10].map((dose) => ({ dose, subjects: 12 })),
  doseInterval: 24,
  doseCount: 21,
  bwRange: [50, 100],
  bwDecimals: 0,
  comedProbability: 0.5,
  pkTimes: ESTDATA_PK_TIMES,
  pdTimes: ESTDATA_PD_TIMES,
};

/** EstData's design with `perArm` subjects in each of the four arms. */
export function estDataDesign(perArm: number): TrialDesign {
  return { ...ESTDATA_DESIGN, arms: ESTDATA_DESIGN.arms.map((a) => ({ ...a, subjects: perArm })) };
}

export interface SimulatedSubject {
  id: number;
  bw: number;
  comed: number;
  dose: number;
  etaPk: PkEtas;
  etaPd: PdEtas;
  pk: PkParameters;
  pd: IndirectResponseParameters;
}

export interface SimulatedTrial {
  csv: string;
  subjects: SimulatedSubject[];
}

const HEADER = 'ID,BW,COMED,DOSE,TIME,DV,EVID,MDV,AMT,CMT,DVID';

function num(x: number): string {
  return String(Number(x.toPrecision(8)));
}

export function simulateTrial(model: PopulationModel, design: TrialDesign, seed: number): SimulatedTrial {
  const rng = createRng(seed);
  const lines = [HEADER];
  const subjects: SimulatedSubject[] = [];
  let id = 0;
  const round = 10 ** design.bwDecimals;
  for (const arm of design.arms) {
    for (let s = 0; s < arm.subjects; s++) {
      id++;
      const bw = Math.round(rng.uniformIn(design.bwRange[0], design.bwRange[1]) * round) / round;
      const comed = rng.bernoulli(design.comedProbability);
      const etaPk = sampleEtas(model.pk.omega, PK_ETA_NAMES, rng);
      const etaPd = sampleEtas(model.pd.omega, PD_ETA_NAMES, rng);
      const cov = { bw, comed };
      const pk = individualPk(model.pk.fixed, cov, etaPk);
      const pd = individualPd(model.pd.fixed, cov, etaPd);
      subjects.push({ id, bw, comed, dose: arm.dose, etaPk, etaPd, pk, pd });
      const doses = arm.dose > 0 ? regimen(arm.dose, design.doseInterval, design.doseCount) : [];
      const conc = arm.dose > 0 ? concentrationAt(pk, doses, design.pkTimes) : new Float64Array(0);
      const resp = simulateIndirectResponse(pd, pk, doses, design.pdTimes);
      type Row = { time: number; order: number; text: string };
      const rows: Row[] = [];
      const prefix = `${id},${num(bw)},${comed},${num(arm.dose)}`;
      for (const d of doses) rows.push({ time: d.time, order: 0, text: `${prefix},${num(d.time)},0,1,1,${num(d.amount)},1,0` });
      design.pkTimes.forEach((t, i) => {
        if (arm.dose <= 0) return;
        const dv = conc[i] * Math.exp(model.pk.sigmaLog * rng.normal());
        rows.push({ time: t, order: 1, text: `${prefix},${num(t)},${num(dv)},0,0,0,2,1` });
      });
      design.pdTimes.forEach((t, i) => {
        const dv = resp[i] * (1 + model.pd.sigmaProp * rng.normal()) + model.pd.sigmaAdd * rng.normal();
        rows.push({ time: t, order: 2, text: `${prefix},${num(t)},${num(dv)},0,0,0,3,2` });
      });
      rows.sort((a, b) => a.time - b.time || a.order - b.order);
      for (const row of rows) lines.push(row.text);
    }
  }
  return { csv: lines.join('\n') + '\n', subjects };
}
