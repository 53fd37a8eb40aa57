/**
 * Dose events of the structural engine and their compression into runs for geometric sums.
 *
 * A dose event is a time, an amount and a route: `oral` (into the absorption depot), `bolus` (into
 * the central compartment at once) or `infusion` (into the central compartment at the constant rate
 * amount / duration from time to time + duration). A dose with `steadyState: { interval }` is NONMEM's
 * SS=1 with II: it is the latest of an infinite series of identical doses every `interval` before it,
 * and, as in NONMEM, it resets what came before it — doses before its time are forgotten from its
 * time on (infusions still running are stopped). Each steady-state dose therefore opens an *epoch*:
 * epoch 0 runs from −∞ to the first SS dose, epoch k from the k-th SS dose time to the next one; a
 * time belongs to the latest epoch that has started by it (an observation at the SS dose time sees the
 * steady state, at its trough).
 *
 * Within an epoch, doses of the same route and duration are compressed into runs of equal amount and
 * equal spacing (`compressDoses` of ../dose-history, whose blocks superposition sums as geometric
 * series); the steady-state series is a run of infinitely many doses, `count = Infinity`, summed by
 * the limit of the same series, 1 / (1 − e^{−λτ}).
 *
 * Counting convention at a dose time (the engine's left limit): a bolus given exactly at a time is
 * not yet seen there (the observation is the trough before it, as `integrateWithEvents` records
 * outputs before events); oral doses and infusions contribute zero at their start, so counting them
 * or not is the same number (they are counted, as in ../dose-history `dosesBefore`). Times within
 * 1e-9 (relative, or of the interval) are the same time.
 */
import { compressDoses } from '../dose-history';
import { PkpdDataError } from '../errors';

export const DOSE_ROUTES = ['oral', 'bolus', 'infusion'] as const;
export type DoseRoute = (typeof DOSE_ROUTES)[number];

export interface DoseEvent {
  time: number;
  amount: number;
  route: DoseRoute;
  /** Infusion duration (infusions only); the rate is amount / duration. */
  duration?: number;
  /** NONMEM SS=1 with II = interval: this dose is the latest of an infinite series every `interval`. */
  steadyState?: { interval: number };
}

/** A dosing regimen: `amount` every `interval`; the first dose is `loading` × amount (default 1). */
export interface Regimen {
  amount: number;
  interval: number;
  route: DoseRoute;
  /** Infusion duration (infusions only). */
  duration?: number;
  /** Loading dose factor of the first dose. It changes the approach, never the periodic steady state. */
  loading?: number;
}

/** The part of a regimen its periodic steady state depends on, besides the amount (which scales PK linearly). */
export type RegimenShape = Pick<Regimen, 'interval' | 'route' | 'duration'>;

/** A compressed run of identical doses at last − mτ, m = 0 … count − 1. */
export interface DoseRun {
  route: DoseRoute;
  amount: number;
  /** Infusion duration; 0 for oral and bolus doses. */
  duration: number;
  /** Spacing τ; 0 when count is 1. */
  interval: number;
  /** Number of doses; Infinity for a steady-state series. */
  count: number;
  /** Time of the first dose (−Infinity for a steady-state series). */
  first: number;
  /** Time of the latest dose. */
  last: number;
  epoch: number;
}

export interface DoseSchedule {
  runs: DoseRun[];
  /** Start of each epoch: −Infinity for epoch 0, then each steady-state dose time. */
  epochStart: Float64Array;
}

/** Relative tolerance under which two times are the same time. */
export const SAME_TIME = 1e-9;

function describe(dose: DoseEvent, index: number): string {
  return `Dose ${index + 1} (time ${dose.time})`;
}

/** Throws a PkpdDataError naming the first dose event that cannot be used, and what to do. */
export function checkDoseEvents(doses: readonly DoseEvent[]): void {
  doses.forEach((dose, index) => {
    if (!Number.isFinite(dose.time)) {
      throw new PkpdDataError(`Dose ${index + 1}: its time is ${dose.time}; every dose needs a finite time.`);
    }
    const where = describe(dose, index);
    if (!(DOSE_ROUTES as readonly string[]).includes(dose.route)) {
      throw new PkpdDataError(`${where}: route "${String(dose.route)}" is not one of ${DOSE_ROUTES.join(', ')}.`);
    }
    if (!Number.isFinite(dose.amount) || dose.amount < 0) {
      throw new PkpdDataError(`${where}: the amount is ${dose.amount}; a dose amount must be zero or a positive number.`);
    }
    if (dose.route === 'infusion') {
      if (!(dose.duration !== undefined && dose.duration > 0 && Number.isFinite(dose.duration))) {
        throw new PkpdDataError(
          `${where}: an infusion needs a positive duration, got ${dose.duration}. Give its duration (DUR) or rate (RATE = amount / duration).`,
        );
      }
    } else if (dose.duration !== undefined && dose.duration !== 0) {
      throw new PkpdDataError(`${where}: a duration (${dose.duration}) is given for a ${dose.route} dose; only infusions have one.`);
    }
    if (dose.steadyState) {
      const tau = dose.steadyState.interval;
      if (!(tau > 0 && Number.isFinite(tau))) {
        throw new PkpdDataError(`${where}: a steady-state dose (SS=1) needs a positive dosing interval (II), got ${tau}.`);
      }
      if (!(dose.amount > 0)) {
        throw new PkpdDataError(`${where}: a steady-state dose (SS=1) needs a positive amount, got ${dose.amount}.`);
      }
    }
  });
}

function routeKey(dose: DoseEvent): string {
  return dose.route === 'infusion' ? `infusion|${dose.duration}` : dose.route;
}

function sameTime(a: number, b: number): boolean {
  return Math.abs(a - b) <= SAME_TIME * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Validates, splits into epochs at steady-state doses and compresses the doses of each epoch into
 * runs (per route and infusion duration, in time order, as `compressDoses` does).
 */
export function scheduleDoses(doses: readonly DoseEvent[]): DoseSchedule {
  checkDoseEvents(doses);
  const order = doses.map((_, i) => i).sort((a, b) => doses[a].time - doses[b].time || a - b);
  // Epochs: one per distinct steady-state time; at one time the latest SS dose (input order) wins.
  const ssAt: number[] = [];
  for (const i of order) {
    const d = doses[i];
    if (!d.steadyState) continue;
    const last = ssAt[ssAt.length - 1];
    if (last !== undefined && sameTime(doses[last].time, d.time)) ssAt[ssAt.length - 1] = i;
    else ssAt.push(i);
  }
  const epochStart = new Float64Array(ssAt.length + 1);
  epochStart[0] = Number.NEGATIVE_INFINITY;
  ssAt.forEach((i, k) => (epochStart[k + 1] = doses[i].time));
  const runs: DoseRun[] = [];
  for (let epoch = 0; epoch < epochStart.length; epoch++) {
    if (epoch > 0) {
      const ss = doses[ssAt[epoch - 1]];
      runs.push({
        route: ss.route,
        amount: ss.amount,
        duration: ss.route === 'infusion' ? (ss.duration as number) : 0,
        interval: (ss.steadyState as { interval: number }).interval,
        count: Number.POSITIVE_INFINITY,
        first: Number.NEGATIVE_INFINITY,
        last: ss.time,
        epoch,
      });
    }
    const from = epochStart[epoch];
    const to = epoch + 1 < epochStart.length ? epochStart[epoch + 1] : Number.POSITIVE_INFINITY;
    const groups = new Map<string, DoseEvent[]>();
    for (const i of order) {
      const d = doses[i];
      if (d.steadyState || d.amount === 0) continue;
      if (epoch > 0 && d.time < from && !sameTime(d.time, from)) continue;
      if (to !== Number.POSITIVE_INFINITY && (d.time >= to || sameTime(d.time, to))) continue;
      const key = routeKey(d);
      const group = groups.get(key);
      if (group) group.push(d);
      else groups.set(key, [d]);
    }
    const epochRuns: DoseRun[] = [];
    for (const group of groups.values()) {
      const { route } = group[0];
      const duration = route === 'infusion' ? (group[0].duration as number) : 0;
      for (const block of compressDoses(group)) {
        epochRuns.push({
          route,
          amount: block.amount,
          duration,
          interval: block.interval,
          count: block.count,
          first: block.start,
          last: block.start + (block.count - 1) * block.interval,
          epoch,
        });
      }
    }
    // Time order across routes (stable), as a single-route history has it.
    epochRuns.sort((a, b) => a.first - b.first);
    runs.push(...epochRuns);
  }
  return { runs, epochStart };
}

/** The epoch a time belongs to: the latest one started at or before it (within SAME_TIME). */
export function epochOf(schedule: DoseSchedule, time: number): number {
  const starts = schedule.epochStart;
  let epoch = 0;
  for (let k = 1; k < starts.length; k++) {
    if (time >= starts[k] || sameTime(time, starts[k])) epoch = k;
    else break;
  }
  return epoch;
}

/** Doses of a run counted by time x, and when the latest of them started. */
export interface DoseCount {
  /** 0, a positive integer, or Infinity (a steady-state series). */
  count: number;
  /** Start time of the latest counted dose (NaN when none). */
  latest: number;
}

/**
 * Counts the doses of `run` that have started by `x`: at or before x (`strict` false) or strictly
 * before it (`strict` true, for boluses: a bolus at x is not seen at x). Writes into `into`.
 */
export function countDoses(run: DoseRun, x: number, strict: boolean, into: DoseCount): DoseCount {
  const tau = run.interval;
  if (run.count === Number.POSITIVE_INFINITY) {
    // Doses at last − mτ, m ≥ 0; m0 is the index of the latest counted one.
    const back = (run.last - x) / tau;
    const m0 = strict ? Math.max(0, Math.floor(back + SAME_TIME) + 1) : Math.max(0, Math.ceil(back - SAME_TIME));
    into.count = Number.POSITIVE_INFINITY;
    into.latest = run.last - m0 * tau;
    return into;
  }
  let n: number;
  if (strict) {
    if (run.count === 1) n = x - run.first > SAME_TIME * Math.max(1, Math.abs(x)) ? 1 : 0;
    else n = Math.min(run.count, Math.max(0, Math.ceil((x - run.first) / tau - SAME_TIME)));
  } else if (x < run.first) {
    n = 0;
  } else {
    // As dosesBefore in ../dose-history, so that oral doses count exactly as in ../pk-model.
    n = run.count === 1 ? 1 : Math.min(run.count, Math.floor((x - run.first) / tau + SAME_TIME) + 1);
  }
  into.count = n;
  into.latest = n > 0 ? run.first + (n - 1) * tau : Number.NaN;
  return into;
}

/**
 * Times in [from, to] where the input of a run changes (a kink or jump of the concentration): dose
 * starts (shifted by `shift`, the absorption lag, for oral doses) and infusion ends.
 */
export function inputChangeTimes(run: DoseRun, shift: number, from: number, to: number, into: number[]): void {
  const push = (t: number): void => {
    if (t >= from && t <= to) into.push(t);
  };
  const offsets = run.route === 'infusion' ? [0, run.duration] : [run.route === 'oral' ? shift : 0];
  if (run.count === Number.POSITIVE_INFINITY) {
    if (!Number.isFinite(from)) throw new Error('inputChangeTimes: a steady-state series needs a finite start');
    for (const offset of offsets) {
      // Doses last − mτ with last − mτ + offset ≥ from.
      const mMax = Math.floor((run.last + offset - from) / run.interval + SAME_TIME);
      for (let m = Math.max(0, mMax); m >= 0; m--) push(run.last - m * run.interval + offset);
    }
    return;
  }
  const reach = Math.max(run.duration, shift);
  const m0 = run.count > 1 && from > run.first + reach ? Math.max(0, Math.floor((from - reach - run.first) / run.interval) - 1) : 0;
  for (let m = m0; m < run.count; m++) {
    const start = run.first + m * run.interval;
    if (start > to) break;
    for (const offset of offsets) push(start + offset);
  }
}

/** The doses of a regimen: `count` doses every interval from `start`, the first × `loading`. */
export function regimenDoses(regimen: Regimen, count: number, start = 0): DoseEvent[] {
  const doses: DoseEvent[] = [];
  for (let m = 0; m < count; m++) {
    const amount = m === 0 ? regimen.amount * (regimen.loading ?? 1) : regimen.amount;
    const dose: DoseEvent = { time: start + m * regimen.interval, amount, route: regimen.route };
    if (regimen.route === 'infusion') dose.duration = regimen.duration;
    doses.push(dose);
  }
  return doses;
}

/** A schedule of one steady-state dose of `regimen` at time 0: its periodic steady state on [0, τ]. */
export function steadyStateSchedule(regimen: RegimenShape, amount: number): DoseSchedule {
  if (!(regimen.interval > 0 && Number.isFinite(regimen.interval))) {
    throw new PkpdDataError(`The dosing interval must be a positive number, got ${regimen.interval}.`);
  }
  const dose: DoseEvent = { time: 0, amount, route: regimen.route, steadyState: { interval: regimen.interval } };
  if (regimen.route === 'infusion') dose.duration = regimen.duration;
  return scheduleDoses([dose]);
}
