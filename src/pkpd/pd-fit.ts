/**
 * Population PD by FOCE-I, sequential to PK with individual PK parameters (IPP): each subject's
 * concentration–time course is fixed at its empirical Bayes PK estimates, and the indirect-response
 * model (inhibition of production) is fitted to the biomarker:
 *   BASE = θ_BASE θ_COMED^COMED e^{η_BASE}, k_out = θ_kout [e^{η_kout}], IC50 = θ_IC50 [e^{η_IC50}], Imax = θ_Imax,
 * residual error proportional (default) or combined. Imax is estimated on the logit scale.
 */
import { individualPd, type PdEtaName, type PdEtas, type PdFixedEffects } from './covariates';
import { PkpdDataError } from './errors';
import { fitFoce, FoceObjective, type CancelSignal, type FitControl, type FoceProblem, type FoceResult, type ThetaSpec } from './foce';
import {
  buildPdGrid,
  createPdWorkspace,
  integrateIndirectResponse,
  type IndirectResponseParameters,
  type PdGrid,
  type PdGridOptions,
  type PdWorkspace,
} from './indirect-response';
import { concentrationAt, type PkParameters } from './pk-model';
import type { PdPopulation } from './population-model';
import type { PkpdSubject } from './subject-data';
import type { ObservationFit } from './observation-fit';
import { minOf } from '../data/min-max';

export interface PdModelOptions {
  /** Parameters with between-subject variability (default ['base']). */
  etas?: PdEtaName[];
  residual?: 'proportional' | 'combined';
  /** Estimate a COMED factor on BASE (default true). */
  comedOnBase?: boolean;
  initial?: Partial<PdFixedEffects>;
  initialOmega?: Partial<Record<PdEtaName, number>>;
  grid?: PdGridOptions;
}

export interface PdIndividual {
  id: string;
  eta: PdEtas;
  parameters: IndirectResponseParameters;
}

export interface PdFitResult {
  options: PdModelOptions;
  estimates: PdPopulation;
  foce: FoceResult;
  individuals: PdIndividual[];
  observations: ObservationFit[];
}

interface PdSubjectData {
  subject: PkpdSubject;
  grid: PdGrid;
  conc: Float64Array;
  workspace: PdWorkspace;
  times: Float64Array;
  dv: Float64Array;
}

function prepare(
  subjects: readonly PkpdSubject[],
  pk: ReadonlyMap<string, PkParameters>,
  grid: PdGridOptions | undefined,
): PdSubjectData[] {
  const data: PdSubjectData[] = [];
  for (const subject of subjects) {
    if (subject.pd.times.length === 0) continue;
    const g = buildPdGrid(
      subject.doses.map((d) => d.time),
      subject.pd.times,
      grid,
    );
    let conc: Float64Array;
    if (subject.doses.length === 0) conc = new Float64Array(g.nodes.length);
    else {
      const p = pk.get(subject.id);
      if (!p)
        throw new Error(
          `fitPopulationPd: subject ${subject.id} is dosed but has no individual PK parameters (PK is fitted to the same subjects first)`,
        );
      conc = concentrationAt(p, subject.doses, g.nodes);
    }
    data.push({ subject, grid: g, conc, workspace: createPdWorkspace(g), times: subject.pd.times, dv: subject.pd.values });
  }
  if (data.length === 0)
    throw new PkpdDataError(
      'The file has no PD observations (DVID 2), so the PD model cannot be fitted. Load a file with PD observations, or check its DVID column.',
    );
  return data;
}

function layout(options: PdModelOptions, start: PdFixedEffects): { thetas: ThetaSpec[]; etaNames: PdEtaName[] } {
  const comed = options.comedOnBase ?? true;
  return {
    thetas: [
      { name: 'BASE', initial: start.base, transform: 'log' },
      { name: 'COMED_BASE', initial: comed ? start.comedOnBase : 1, transform: 'log', fixed: !comed },
      { name: 'kout', initial: start.kout, transform: 'log' },
      { name: 'Imax', initial: start.imax, transform: 'logit' },
      { name: 'IC50', initial: start.ic50, transform: 'log' },
    ],
    etaNames: options.etas ?? ['base'],
  };
}

function fixedFromTheta(theta: ArrayLike<number>): PdFixedEffects {
  return { base: theta[0], comedOnBase: theta[1], kout: theta[2], imax: theta[3], ic50: theta[4] };
}

function etaRecord(names: readonly PdEtaName[], eta: ArrayLike<number>): PdEtas {
  const out: PdEtas = {};
  names.forEach((n, k) => (out[n] = eta[k]));
  return out;
}

function buildProblem(data: PdSubjectData[], options: PdModelOptions, start: PdFixedEffects): FoceProblem {
  const { thetas, etaNames } = layout(options, start);
  const omega = options.initialOmega ?? {};
  const combined = options.residual === 'combined';
  const typicalLevel = start.base;
  return {
    thetas,
    etas: etaNames.map((name) => ({ name, initialSd: omega[name] ?? 0.3 })),
    residual: combined ? { proportional: 0.1, additive: 0.05 * typicalLevel } : { proportional: 0.15 },
    observations: data.map((d) => d.dv),
    predict: (theta, eta, i, out) => {
      const d = data[i];
      const p = individualPd(fixedFromTheta(theta), d.subject, etaRecord(etaNames, eta));
      integrateIndirectResponse(p, d.grid, d.conc, out, undefined, d.workspace);
    },
  };
}

function median(values: number[]): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

function startingValues(data: PdSubjectData[], options: PdModelOptions, signal: CancelSignal | undefined): PdFixedEffects {
  const given = options.initial ?? {};
  const baseline = (comed: number): number =>
    median(
      data
        .filter((d) => d.subject.comed === comed)
        .flatMap((d) => {
          const firstDose = minOf(d.subject.doses.map((x) => x.time));
          return Array.from(d.dv).filter((_, j) => d.times[j] <= firstDose);
        }),
    );
  const b0 = baseline(0);
  const b1 = baseline(1);
  const base = given.base ?? (Number.isFinite(b0) ? b0 : b1);
  const comedOnBase = given.comedOnBase ?? (Number.isFinite(b0) && Number.isFinite(b1) ? b1 / b0 : 1);
  const start: PdFixedEffects = { base, comedOnBase, kout: given.kout ?? 0.01, imax: given.imax ?? 0.8, ic50: given.ic50 ?? 1 };
  if (given.kout !== undefined && given.ic50 !== undefined) return start;
  const cMedian = median(data.flatMap((d) => Array.from(d.conc).filter((c) => c > 0)));
  const scale = Number.isFinite(cMedian) ? cMedian : 1;
  let best = start;
  let bestOfv = Infinity;
  for (const kout of given.kout !== undefined ? [given.kout] : [0.003, 0.01, 0.03, 0.1]) {
    for (const ic50 of given.ic50 !== undefined ? [given.ic50] : [0.1, 0.3, 1, 3].map((f) => f * scale)) {
      const candidate = { ...start, kout, ic50 };
      const objective = new FoceObjective(buildProblem(data, options, candidate), signal);
      objective.innerMaxIterations = 20;
      const ofv = objective.value(objective.x0);
      if (ofv < bestOfv) {
        bestOfv = ofv;
        best = candidate;
      }
    }
  }
  return best;
}

/**
 * Fits the PD model given individual PK parameters per subject id (IPP; e.g. from
 * `fitPopulationPk(...).individuals`).
 */
export function fitPopulationPd(
  subjects: readonly PkpdSubject[],
  pkIndividuals: readonly { id: string; parameters: PkParameters }[],
  options: PdModelOptions = {},
  control: FitControl = {},
): PdFitResult {
  const pk = new Map(pkIndividuals.map((p) => [p.id, p.parameters]));
  const data = prepare(subjects, pk, options.grid);
  const start = startingValues(data, options, control.signal);
  const problem = buildProblem(data, options, start);
  const foce = fitFoce(problem, { ...control, stage: control.stage ?? 'PD indirect response' });
  const { etaNames } = layout(options, start);
  const fixed = fixedFromTheta(foce.theta);
  const omega: Partial<Record<PdEtaName, number>> = {};
  etaNames.forEach((n, k) => (omega[n] = foce.omegaSd[k]));
  const etaBySubject = new Map<PkpdSubject, Float64Array>();
  data.forEach((d, i) => etaBySubject.set(d.subject, foce.etas[i]));
  const individuals = subjects.map((s) => {
    const eta = etaRecord(etaNames, etaBySubject.get(s) ?? new Float64Array(etaNames.length));
    return { id: s.id, eta, parameters: individualPd(fixed, s, eta) };
  });
  const observations = data.map((d, i) => ({ id: d.subject.id, times: d.times, dv: d.dv, ...foce.diagnostics[i] }));
  return {
    options,
    estimates: { fixed, omega, sigmaProp: foce.sigmaProportional, sigmaAdd: foce.sigmaAdditive },
    foce,
    individuals,
    observations,
  };
}
