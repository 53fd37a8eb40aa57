/**
 * Speed of the structural engine (src/pkpd/structural) for a typical EstData subject — oral
 * two-compartment PK with an indirect response (inhibition of production), 21 daily doses, 24 PK
 * and 25 PD observations. Prints JSON: predictions (PK and PD of one subject) per second — best of 6
 * interleaved rounds — for
 *   - joint:   every call with new PK and PD parameters (a joint PK/PD fit);
 *   - pd-only: new PD parameters, same PK (a sequential fit's PD step; the engine keeps C at the nodes);
 *   - steady-state: the engine's periodic steady state over one interval at 0.25 h (dose search).
 * Only with BENCH_BASELINE=DIR (a baseline checkout, bench/baseline.ts): joint and pd-only also for the
 * code the EstData-only fit used (DIR's src/pkpd/pk-model.ts + indirect-response.ts as that fit used
 * them: plans and grid built once, then evaluatePlan + integrateIndirectResponse), imported from DIR
 * and run in the same process, with the largest relative difference of the two; without it those
 * fields are null and `baseline` says so.
 *
 *   npx tsx bench/structural.ts            (under `flock /tmp/qpkpd-heavy.lock` on shared machines)
 *   DIR=/tmp/qpkpd-baseline && mkdir -p $DIR && git archive bc03053 src | tar -x -C $DIR && ln -sfn "$PWD/node_modules" $DIR/node_modules
 *   BENCH_BASELINE=$DIR npx tsx bench/structural.ts      (beside bc03053's pk-model.ts + indirect-response.ts)
 */
import { cpus } from 'node:os';
import { createStructuralModel, type ParameterValues } from '../src/pkpd/structural/structural-model';
import { BASELINE_DIR, BASELINE_NOTE, importBaseline } from './baseline';

const PK_TIMES = [1, 2, 4, 8, 12, 24, 36, 48, 72, 168, 336, 480, 481, 482, 484, 488, 492, 504, 552, 600, 672, 840, 1008, 1176];
const PD_TIMES = [0, ...PK_TIMES];
/** 3 mg every 24 h, 21 times. */
const DOSES = Array.from({ length: 21 }, (_, m) => ({ time: 24 * m, amount: 3 }));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

interface Variant {
  pk: { compartments: 2; cl: number; v: number; q: number; v2: number; ka: number };
  pd: { base: number; kout: number; imax: number; ic50: number };
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

/** What this benchmark calls of the baseline's src/pkpd/pk-model.ts and indirect-response.ts (bc03053). */
interface BaselinePk {
  planSuperposition(doses: readonly { time: number; amount: number }[], times: ArrayLike<number>): unknown;
  evaluatePlan(plan: unknown, unit: unknown, out?: Float64Array): Float64Array;
  oralUnitResponse(p: Variant['pk']): unknown;
}
interface BaselinePd {
  buildPdGrid(doseTimes: ArrayLike<number>, outputTimes: ArrayLike<number>): { nodes: Float64Array; panelCount: number };
  createPdWorkspace(grid: unknown): unknown;
  integrateIndirectResponse(
    p: Variant['pd'],
    grid: unknown,
    nodes: Float64Array,
    out: Float64Array,
    x?: undefined,
    workspace?: unknown,
  ): Float64Array;
}

/** The baseline's code as its fits used it — everything parameter-independent built once; null without BENCH_BASELINE. */
async function baselineCode(): Promise<{
  run: (v: Variant, pkChanged: boolean) => void;
  pk: Float64Array;
  pd: Float64Array;
  panels: number;
} | null> {
  if (!BASELINE_DIR) return null;
  const pkModel = await importBaseline<BaselinePk>('src/pkpd/pk-model.ts');
  const ir = await importBaseline<BaselinePd>('src/pkpd/indirect-response.ts');
  const pkPlan = pkModel.planSuperposition(DOSES, PK_TIMES);
  const grid = ir.buildPdGrid(
    DOSES.map((d) => d.time),
    PD_TIMES,
  );
  const nodePlan = pkModel.planSuperposition(DOSES, grid.nodes);
  const workspace = ir.createPdWorkspace(grid);
  const pk = new Float64Array(PK_TIMES.length);
  const nodes = new Float64Array(grid.nodes.length);
  const pd = new Float64Array(PD_TIMES.length);
  const run = (v: Variant, pkChanged: boolean): void => {
    const unit = pkModel.oralUnitResponse(v.pk);
    pkModel.evaluatePlan(pkPlan, unit, pk);
    if (pkChanged) pkModel.evaluatePlan(nodePlan, unit, nodes);
    ir.integrateIndirectResponse(v.pd, grid, nodes, pd, undefined, workspace);
  };
  return { run, pk, pd, panels: grid.panelCount };
}
const existing = await baselineCode();

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
if (existing) {
  for (let i = 0; i < 20; i++) {
    const v = variant(i, true);
    existing.run(v, true);
    model.predict(plan, values(v), out);
    for (let k = 0; k < PK_TIMES.length; k++) worst = Math.max(worst, Math.abs(out.pk[k] - existing.pk[k]) / Math.abs(existing.pk[k]));
    for (let k = 0; k < PD_TIMES.length; k++) worst = Math.max(worst, Math.abs(out.pd[k] - existing.pd[k]) / Math.abs(existing.pd[k]));
  }
}

const structural = (pkChanges: boolean) => (i: number) => model.predict(plan, values(variant(i, pkChanges)), out);
const joint = existing
  ? rates({ existing: (i) => existing.run(variant(i, true), true), structural: structural(true) })
  : { existing: null, ...rates({ structural: structural(true) }) };
existing?.run(variant(0, true), true);
const pdOnly = existing
  ? rates({ existing: (i) => existing.run(variant(i, false), false), structural: structural(false) })
  : { existing: null, ...rates({ structural: structural(false) }) };
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
      benchmark: existing
        ? 'structural engine vs the baseline’s pk-model.ts + indirect-response.ts (predictions of one subject per second)'
        : 'structural engine (predictions of one subject per second); set BENCH_BASELINE for the EstData-only fit’s code beside it',
      machine: `${cpus().length}-core ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
      baseline: BASELINE_NOTE,
      subject: {
        model: 'oral 2-compartment PK, indirect response (inhibit-production)',
        doses: DOSES.length,
        pkTimes: PK_TIMES.length,
        pdTimes: PD_TIMES.length,
        gridPanels: existing?.panels ?? null,
      },
      maxRelativeDifference: existing ? worst : null,
      joint,
      pdOnly,
      steadyState: { ...steadyState, gridPoints: grid025.length },
    },
    null,
    2,
  )}\n`,
);
