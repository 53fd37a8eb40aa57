/**
 * The dose questions of a study model over a pool of workers (issue 16), with the same numbers as in
 * one thread. Two kinds of work go to the pool:
 *
 *   - the virtual population split by subject (`PooledStudySimulator`): every simulation of the
 *     questions — the summaries of each subject's endpoint at a batch of doses (`simulate`) and each
 *     subject's range of successful grid doses (`successRanges`) — runs on `size` contiguous ranges of
 *     subjects, the first in this thread (which would otherwise wait) while the others run on workers,
 *     and the parts are put back in subject order. Each subject's numbers depend on that subject only,
 *     so they are the same bit for bit; the success shares, searches and checks are then made from them
 *     in this thread as before. The steady-state check simulates its slowest subjects (chosen here,
 *     `steadyStateSubjects`) in a job of its own, on a worker the ranges leave free;
 *   - the parameter-uncertainty replicates (`replicateJob`): each drawn model's ranges over every curve
 *     in one job (dose-questions.ts `replicateRanges`); the bands are made from them in replicate order.
 *
 * One implementation: a pool worker (workers/dose-pool.worker.ts) runs `runDoseJob`, which rebuilds a
 * `StudyDoseSimulator` from plain data — the spec, the model, the endpoint and the simulator's options
 * (`SimulatorRecipe`) — and calls its own methods on the subjects it is sent (`poolPopulation`: the
 * model's covariate columns, derived ones computed in this thread, and its random effects). A worker
 * keeps the simulators and populations it was sent by key, so the per-subject state of a population
 * under a regimen is computed once per worker. `inThreadDoseRunner` runs the same jobs here (tests).
 *
 * Cancel: the work polls its signal; when it is set, `DoseJobRunner.cancel` ends every worker and the
 * run rejects with DoseSearchCancelledError.
 */
import type { StudyPopulationModel } from '../pkpd/population/fit-study';
import type { Criterion, StudySpec } from '../study/study-spec';
import { replicateRanges, type RangeSimulator, type ReplicateWork, type SuccessRanges } from './dose-questions';
import { DoseSearchCancelledError, DoseSettingsError } from './errors';
import {
  emptyResult,
  type CancelSignal,
  type DosingRegimen,
  type EndpointSummary,
  type SteadyStateBatch,
  type SteadyStateRequest,
} from './steady-state';
import { StudyDoseSimulator, type StudySimulatorOptions } from './study-simulator';
import type { VirtualPopulation } from './virtual-population';

/** What a pool worker rebuilds a study simulator from: plain data. */
export interface SimulatorRecipe {
  spec: StudySpec;
  model: StudyPopulationModel;
  endpoint: 'pk' | 'pd';
  options: Omit<StudySimulatorOptions, 'derived'>;
}

/** A value a worker keeps under `key` (sent whole every time, so a fresh worker needs nothing else). */
export interface Keyed<T> {
  key: string;
  value: T;
}

/** Summaries of the endpoint of the subjects sent, at a batch of doses (`StudyDoseSimulator.simulate`). */
export interface SimulateJob {
  kind: 'simulate';
  recipe: Keyed<SimulatorRecipe>;
  population: Keyed<VirtualPopulation>;
  request: Omit<SteadyStateRequest, 'population' | 'signal'>;
}

/** The subjects' ranges of successful grid doses (`StudyDoseSimulator.successRanges`). */
export interface RangesJob {
  kind: 'ranges';
  recipe: Keyed<SimulatorRecipe>;
  population: Keyed<VirtualPopulation>;
  regimen: DosingRegimen;
  gridStep: number;
  doses: readonly number[];
  criterion: Criterion;
  guess?: SuccessRanges;
}

/** One uncertainty replicate: a drawn model's ranges over every curve (dose-questions.ts `replicateRanges`). */
export interface ReplicateJob {
  kind: 'replicate';
  recipe: SimulatorRecipe;
  work: ReplicateWork;
}

export type DoseJob = SimulateJob | RangesJob | ReplicateJob;

/** What each job gives back: plain data. */
export type DoseJobResult<J extends DoseJob = DoseJob> = J extends SimulateJob
  ? SteadyStateBatch
  : J extends RangesJob
    ? SuccessRanges
    : SuccessRanges[];

/** Where the jobs run: a pool of workers (workers/dose-pool.ts) or this thread (`inThreadDoseRunner`). */
export interface DoseJobRunner {
  /** How many jobs run at once: the population is split into this many ranges of subjects. */
  readonly size: number;
  run<J extends DoseJob>(job: J): Promise<DoseJobResult<J>>;
  /** Ends every worker; running and waiting jobs reject with `reason`. */
  cancel(reason: Error): void;
}

/** The simulators and populations a worker was sent, by key (the latest few). */
export class DoseJobCache {
  private readonly simulators = new Map<string, StudyDoseSimulator>();
  private readonly populations = new Map<string, VirtualPopulation>();

  constructor(
    private readonly maxSimulators = 4,
    private readonly maxPopulations = 16,
  ) {}

  simulator({ key, value }: Keyed<SimulatorRecipe>): StudyDoseSimulator {
    return remember(this.simulators, key, this.maxSimulators, () => simulatorOf(value));
  }

  population({ key, value }: Keyed<VirtualPopulation>): VirtualPopulation {
    return remember(this.populations, key, this.maxPopulations, () => value);
  }

  /** Forgets everything kept (the simulators' per-subject states with them). */
  clear(): void {
    this.simulators.clear();
    this.populations.clear();
  }
}

function remember<T>(map: Map<string, T>, key: string, max: number, make: () => T): T {
  let found = map.get(key);
  if (found === undefined) {
    found = make();
    if (map.size >= max) map.delete(map.keys().next().value as string);
  } else map.delete(key);
  map.set(key, found);
  return found;
}

function simulatorOf(recipe: SimulatorRecipe): StudyDoseSimulator {
  return new StudyDoseSimulator(recipe.spec, recipe.model, recipe.endpoint, recipe.options);
}

/** Runs one job (in a pool worker, or in this thread): the simulator's own methods on the subjects sent. */
export async function runDoseJob<J extends DoseJob>(job: J, cache: DoseJobCache): Promise<DoseJobResult<J>> {
  switch (job.kind) {
    case 'simulate': {
      const simulator = cache.simulator(job.recipe);
      return simulator.simulate({ ...job.request, population: cache.population(job.population) }) as DoseJobResult<J>;
    }
    case 'ranges': {
      const simulator = cache.simulator(job.recipe);
      const population = cache.population(job.population);
      return simulator.successRanges(
        population,
        job.regimen,
        job.gridStep,
        job.doses,
        job.criterion,
        undefined,
        job.guess,
      ) as DoseJobResult<J>;
    }
    default:
      return (await replicateRanges(simulatorOf(job.recipe), job.work)) as DoseJobResult<J>;
  }
}

/** The array buffers of a job's result, to transfer rather than copy (each result is made fresh for its answer). */
export function resultBuffers(result: DoseJobResult): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [];
  if (Array.isArray(result)) for (const r of result) arrays.push(r.first, r.last);
  else if ('results' in result) {
    for (const r of result.results) for (const a of [r.max, r.min, r.trough, r.average, r.profiles]) if (a) arrays.push(a);
  } else arrays.push(result.first, result.last);
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/** Jobs run in this thread, `size` "workers" (the reference for the pooled path; tests). */
export function inThreadDoseRunner(size: number, cache = new DoseJobCache()): DoseJobRunner & { cancelled: Error | null } {
  return {
    size,
    cancelled: null,
    run(job) {
      return runDoseJob(job, cache);
    },
    cancel(reason) {
      this.cancelled = reason;
    },
  };
}

/** [from, to) of `parts` contiguous ranges of n subjects, as equal as can be (none empty). */
export function subjectRanges(n: number, parts: number): [number, number][] {
  const count = Math.max(1, Math.min(parts, n));
  return Array.from({ length: count }, (_, k) => [Math.floor((k * n) / count), Math.floor(((k + 1) * n) / count)]);
}

/** Subjects `indices` of a population (copies: a worker is sent only them). */
export function selectSubjects(population: VirtualPopulation, indices: readonly number[]): VirtualPopulation {
  const pick = (a: Float64Array): Float64Array => Float64Array.from(indices, (i) => a[i]);
  const mapValues = (r: Record<string, Float64Array>): Record<string, Float64Array> =>
    Object.fromEntries(Object.entries(r).map(([k, a]) => [k, pick(a)]));
  return {
    ...population,
    size: indices.length,
    covariates: mapValues(population.covariates),
    random: mapValues(population.random),
    trialIndex: population.trialIndex ? Int32Array.from(indices, (i) => population.trialIndex![i]) : null,
  };
}

/** Subjects [from, to) of a population (copies). */
export function slicePopulation(population: VirtualPopulation, from: number, to: number): VirtualPopulation {
  return selectSubjects(
    population,
    Array.from({ length: to - from }, (_, k) => from + k),
  );
}

/**
 * Starts jobs and waits for them, polling `signal` (before and every 20 ms): once it is set, every
 * worker is ended (`runner.cancel`) and the wait rejects with DoseSearchCancelledError. A worker's
 * error comes back by name (a worker sends its errors as plain ones): the dose errors as their own classes.
 */
export async function awaitJobs<T>(runner: DoseJobRunner, jobs: readonly (() => Promise<T>)[], signal?: CancelSignal): Promise<T[]> {
  const cancel = (): DoseSearchCancelledError => {
    const reason = new DoseSearchCancelledError();
    runner.cancel(reason);
    return reason;
  };
  if (signal?.aborted) throw cancel();
  let timer: ReturnType<typeof setInterval> | undefined;
  const cancelled = new Promise<never>((_, reject) => {
    if (!signal) return;
    timer = setInterval(() => {
      if (signal.aborted) reject(cancel());
    }, 20);
  });
  const started = jobs.map((start) => start());
  try {
    return await Promise.race([Promise.all(started), cancelled]);
  } catch (error) {
    throw reviveDoseError(error);
  } finally {
    clearInterval(timer);
  }
}

/** A worker's plain error as the dose error it was (by name), else as it came. */
export function reviveDoseError(error: unknown): unknown {
  if (error instanceof DoseSettingsError || error instanceof DoseSearchCancelledError || !(error instanceof Error)) return error;
  if (error.name === 'DoseSettingsError') return new DoseSettingsError(error.message);
  if (error.name === 'DoseSearchCancelledError') return new DoseSearchCancelledError();
  return error;
}

/** A population split by subject: its ranges, their slices, and the steady-state check's subjects (made when asked for). */
interface Split {
  ranges: [number, number][];
  slices: Keyed<VirtualPopulation>[];
  checked: () => Keyed<VirtualPopulation>;
}

let nextKey = 0;
/** A key unique in this thread (what the workers keep things under). */
const freshKey = (what: string): string => `${what}-${++nextKey}`;

/**
 * A study model's steady-state simulator whose subjects are simulated on a pool (see the file
 * comment): the same answers as `local` — the same model in this thread, which checks every request
 * and every subject first (its errors as in one thread), computes derived covariates and chooses the
 * steady-state check's subjects.
 */
export class PooledStudySimulator implements RangeSimulator {
  readonly label: string;
  readonly randomEffects: readonly string[];
  readonly summaries: readonly EndpointSummary[];
  readonly direction: 'increasing' | 'decreasing';
  readonly covariates: readonly string[];
  private readonly recipe: Keyed<SimulatorRecipe>;
  private readonly parts = new WeakMap<VirtualPopulation, Split>();
  /** This thread's part of the work: the same jobs, run here (`runDoseJob`). */
  private readonly here = new DoseJobCache();

  constructor(
    readonly local: StudyDoseSimulator,
    private readonly runner: DoseJobRunner,
  ) {
    this.label = local.label;
    this.randomEffects = local.randomEffects;
    this.summaries = local.summaries;
    this.direction = local.direction;
    this.covariates = local.covariates;
    this.recipe = { key: freshKey('model'), value: recipeOf(local) };
  }

  async simulate(request: SteadyStateRequest): Promise<SteadyStateBatch> {
    this.local.checkRequest(request);
    if (request.signal?.aborted) throw new DoseSearchCancelledError();
    const { population, signal, checkSteadyState, ...plain } = request;
    const { ranges, slices } = this.split(population);
    const jobs = slices.map((slice): SimulateJob => ({
      kind: 'simulate',
      recipe: this.recipe,
      population: slice,
      request: { ...plain, checkSteadyState: false },
    }));
    // The check's subjects alone: the check reads nothing else (study-simulator.ts `check`).
    const check: SimulateJob | null = checkSteadyState
      ? {
          kind: 'simulate',
          recipe: this.recipe,
          population: this.split(population).checked(),
          request: { ...plain, checkSteadyState: true },
        }
      : null;
    const { parts: batches, extra } = await this.dispatch(jobs, check, signal);
    const n = population.size;
    const P = batches[0].grid.length;
    const summaries = plain.summaries ?? ['max'];
    const results = plain.amounts.map((amount, a) => {
      const merged = emptyResult(amount, n, summaries, plain.keepProfiles ? P : 0);
      ranges.forEach(([from], part) => {
        const piece = batches[part].results[a];
        for (const s of summaries) (merged[s] as Float64Array).set(piece[s] as Float64Array, from);
        if (merged.profiles) merged.profiles.set(piece.profiles as Float64Array, from * P);
      });
      if (extra) merged.steadyState = extra.results[a].steadyState;
      return merged;
    });
    return { regimen: request.regimen, grid: batches[0].grid, results };
  }

  async successRanges(
    population: VirtualPopulation,
    regimen: DosingRegimen,
    gridStep: number,
    doses: readonly number[],
    criterion: Criterion,
    signal?: CancelSignal,
    guess?: SuccessRanges,
  ): Promise<SuccessRanges> {
    this.local.checkRequest({ regimen, gridStep, amounts: doses });
    if (signal?.aborted) throw new DoseSearchCancelledError();
    const { ranges, slices } = this.split(population);
    const jobs = slices.map((slice, k): RangesJob => {
      const [from, to] = ranges[k];
      const part = guess ? { guess: { first: guess.first.slice(from, to), last: guess.last.slice(from, to) } } : {};
      return { kind: 'ranges', recipe: this.recipe, population: slice, regimen, gridStep, doses, criterion, ...part };
    });
    const { parts } = await this.dispatch(jobs, null, signal);
    const first = new Int32Array(population.size);
    const last = new Int32Array(population.size);
    ranges.forEach(([from], k) => {
      first.set(parts[k].first, from);
      last.set(parts[k].last, from);
    });
    return { first, last };
  }

  /**
   * Runs the parts of a population, and `extra` (a job of its own): the first part in this thread —
   * after the others are sent, while they run — the others and `extra` on the pool; the parts' results
   * in part order.
   */
  private async dispatch<J extends SimulateJob | RangesJob>(
    jobs: readonly J[],
    extra: J | null,
    signal?: CancelSignal,
  ): Promise<{ parts: DoseJobResult<J>[]; extra: DoseJobResult<J> | null }> {
    const [own, ...sent] = jobs;
    const pooled = extra ? [...sent, extra] : sent;
    const results = await awaitJobs(
      this.runner,
      [...pooled.map((job) => () => this.runner.run(job)), () => runDoseJob(own, this.here)],
      signal,
    );
    const mine = results.pop()!;
    const extraResult = extra ? results.pop()! : null;
    return { parts: [mine, ...results], extra: extraResult };
  }

  /** The population's ranges of subjects and their slices, made once per population. */
  private split(population: VirtualPopulation): Split {
    let found = this.parts.get(population);
    if (!found) {
      const plain = this.local.poolPopulation(population);
      const ranges = subjectRanges(population.size, this.runner.size);
      const key = freshKey('population');
      let checked: Keyed<VirtualPopulation> | null = null;
      found = {
        ranges,
        slices: ranges.map(([from, to]) => ({ key: `${key}:${from}-${to}`, value: slicePopulation(plain, from, to) })),
        checked: () => (checked ??= { key: `${key}:check`, value: selectSubjects(plain, this.local.steadyStateSubjects(population)) }),
      };
      this.parts.set(population, found);
    }
    return found;
  }
}

/** The plain data a worker rebuilds `simulator` from. */
export function recipeOf(simulator: StudyDoseSimulator): SimulatorRecipe {
  return { spec: simulator.spec, model: simulator.model, endpoint: simulator.endpoint, options: simulator.plainOptions };
}

/**
 * Runs replicate `r` of `replicates` on the pool: its model sent as a recipe, the populations as the
 * replicate's model reads them (`poolPopulation` of `reference`, a simulator of the same structure —
 * derived covariates computed once here).
 */
export function replicateRunner(
  runner: DoseJobRunner,
  replicates: readonly StudyDoseSimulator[],
  reference: StudyDoseSimulator,
  signal?: CancelSignal,
): (replicate: number, work: ReplicateWork) => Promise<SuccessRanges[]> {
  const plain = new WeakMap<ReplicateWork, ReplicateWork>();
  return async (r, work) => {
    let sent = plain.get(work);
    if (!sent) {
      const populations = Object.fromEntries(Object.entries(work.populations).map(([name, p]) => [name, reference.poolPopulation(p)]));
      sent = { ...work, populations };
      plain.set(work, sent);
    }
    const [ranges] = await awaitJobs(
      runner,
      [() => runner.run({ kind: 'replicate', recipe: recipeOf(replicates[r]), work: sent })],
      signal,
    );
    return ranges;
  };
}
