/**
 * Speed of the structural engine (src/pkpd/structural) for a typical EstData subject — oral
 * two-compartment PK with an indirect response (inhibition of production), 21 daily doses, 24 PK
 * and 25 PD observations — against the existing code (src/pkpd/pk-model.ts + indirect-response.ts
 * used as the fits use them: plans and grid built once, then evaluatePlan + integrateIndirectResponse).
 * Prints JSON: predictions (PK and PD of one subject) per second — best of 6 interleaved rounds — for
 *   - joint:   every call with new PK and PD parameters (a joint PK/PD fit);
 *   - pd-only: new PD parameters, same PK (a sequential fit's PD step; the new engine keeps C at the nodes);
 *   - steady-state: the new engine's periodic steady state over one interval at 0.25 h (dose search).
 *
 *   npx tsx bench/structural.ts            (under `flock /tmp/qpkpd-heavy.lock` on shared machines)
 */
import { cpus } from 'node:os';
import { regimen } from '../src/pkpd/dose-history';
import { buildPdGrid, createPdWorkspace, integrateIndirectResponse, type IndirectResponseParameters } from '../src/pkpd/indirect-response';
import { evaluatePlan, oralUnitResponse, planSuperposition, type PkParameters } from '../src/pkpd/pk-model';
import { createStructuralModel, type ParameterValues } from '../src/pkpd/structural/structural-model';

const PK_TIMES = [1, 2, 4, 8, 12, 24, 36, 48, 72, 168, 336, 480, 481, 482, 484, 488, 492, 504, 552, 600, 672, 840, 1008, 1176];
const PD_TIMES = [0, ...PK_TIMES];
const DOSES = regimen(3, 24, 21);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

interface Variant {
  pk: PkParameters & { compartments: 2 };
  pd: IndirectResponseParameters;
}

/** Parameter vector i: small deterministic perturbations around the EstData two-compartment fit. */
function variant(i: number, pkChanges: boolean): Variant {
  const wiggle = (k: number): number => 1 + 0.05 * Math.sin(i * 0.7 + k);
  const j = pkChanges ? i : 0;
  return {
    pk: { compartments: 2, cl: 0.044 * (1 + 0.05 * Math.sin(j)), v: 2.6, q: 0.17, v2: 5.9, ka: 0.9 * (1 + 0.05 * Math.cos(j)) },
    pd: { base: 10 * wiggle(1), kout: 0.016 * wiggle(2), imax: 0.9, ic50: 1.0 * wiggle(3) },
  };
}

function values(v: Variant): ParameterValues {
  return {
    CL: v.pk.cl,
    V: v.pk.v,
    Q: v.pk.q,
    V2: v.pk.v2,
    KA: v.pk.ka,
    BASE: v.pd.base,
    KOUT: v.pd.kout,
    IMAX: v.pd.imax,
    IC50: v.pd.ic50,
  };
}

/** Calls per second of each function: interleaved rounds, the best round of each (the machine is shared). */
function rates<K extends string>(runs: Record<K, (i: number) => void>): Record<K, number> {
  const names = Object.keys(runs) as K[];
  const best = {} as Record<K, number>;
  for (const name of names) {
    for (let i = 0; i < 200; i++) runs[name](i); // warm-up
    best[name] = 0;
  }
  const rounds = 6;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      let calls = 0;
      const start = performance.now();
      let now = start;
      while (now - start < (SECONDS * 1000) / rounds) {
        for (let k = 0; k < 50; k++) runs[name](calls++);
        now = performance.now();
      }
      best[name] = Math.max(best[name], Math.round(calls / ((now - start) / 1000)));
    }
  }
  return best;
}

// Existing code, as src/pkpd fits use it: everything parameter-independent built once.
const pkPlan = planSuperposition(DOSES, PK_TIMES);
const grid = buildPdGrid(
  DOSES.map((d) => d.time),
  PD_TIMES,
);
const nodePlan = planSuperposition(DOSES, grid.nodes);
const workspace = createPdWorkspace(grid);
const oldPk = new Float64Array(PK_TIMES.length);
const oldNodes = new Float64Array(grid.nodes.length);
const oldPd = new Float64Array(PD_TIMES.length);
function existing(v: Variant, pkChanged: boolean): void {
  const unit = oralUnitResponse(v.pk);
  evaluatePlan(pkPlan, unit, oldPk);
  if (pkChanged) evaluatePlan(nodePlan, unit, oldNodes);
  integrateIndirectResponse(v.pd, grid, oldNodes, oldPd, undefined, workspace);
}

const model = createStructuralModel({
  pk: { route: 'oral', compartments: 2, lag: false },
  pd: { family: 'indirect', type: 'inhibit-production' },
});
const plan = model.prepare(
  DOSES.map((d) => ({ ...d, route: 'oral' })),
  { pk: PK_TIMES, pd: PD_TIMES },
);
const out = { pk: new Float64Array(PK_TIMES.length), pd: new Float64Array(PD_TIMES.length) };

// Agreement of the two on a few parameter vectors (relative to the value).
let worst = 0;
for (let i = 0; i < 20; i++) {
  const v = variant(i, true);
  existing(v, true);
  model.predict(plan, values(v), out);
  for (let k = 0; k < PK_TIMES.length; k++) worst = Math.max(worst, Math.abs(out.pk[k] - oldPk[k]) / Math.abs(oldPk[k]));
  for (let k = 0; k < PD_TIMES.length; k++) worst = Math.max(worst, Math.abs(out.pd[k] - oldPd[k]) / Math.abs(oldPd[k]));
}

const joint = rates({
  existing: (i) => existing(variant(i, true), true),
  structural: (i) => model.predict(plan, values(variant(i, true)), out),
});
existing(variant(0, true), true);
const pdOnly = rates({
  existing: (i) => existing(variant(i, false), false),
  structural: (i) => model.predict(plan, values(variant(i, false)), out),
});
const grid025 = Array.from({ length: 97 }, (_, k) => k * 0.25);
const ssPlan = model.prepareSteadyState({ interval: 24, route: 'oral' }, grid025);
const ssOut = { pk: new Float64Array(grid025.length), pd: new Float64Array(grid025.length) };
const steadyState = rates({
  sameSubjectNewAmount: (i) => model.predictSteadyState(ssPlan, values(variant(0, false)), 1 + (i % 20), ssOut),
  newSubject: (i) => model.predictSteadyState(ssPlan, values(variant(i, true)), 5, ssOut),
});

process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'structural engine vs pk-model.ts + indirect-response.ts (predictions of one subject per second)',
      machine: `${cpus().length}-core ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
      subject: {
        model: 'oral 2-compartment PK, indirect response (inhibit-production)',
        doses: DOSES.length,
        pkTimes: PK_TIMES.length,
        pdTimes: PD_TIMES.length,
        gridPanels: grid.panelCount,
      },
      maxRelativeDifference: worst,
      joint,
      pdOnly,
      steadyState: { ...steadyState, gridPoints: grid025.length },
    },
    null,
    2,
  )}\n`,
);
