/**
 * The study binding: a Dataset read through a StudySpec into what the population fit needs, per
 * subject — covariates by name, dose events in the structural engine's form, the PK and PD
 * observations the spec's endpoints select, and the subject's group. Pure; every problem that would
 * make the fit meaningless is a StudyDataError that names the spec's field (and the file's line or
 * subjects where they apply) and says what to do.
 *
 * - Covariates: every numeric column of the file, matched without regard to case, one value per
 *   subject — its baseline (the first non-missing value, as the Dataset summarises it). A column that
 *   varies within subjects (time-varying) is used at that baseline value too, with a note saying so.
 *   A column a covariate effect uses must have a value for every subject with observations; a factor
 *   effect needs a 0/1 column (any other coding is refused: recode it, e.g. SEX − 1); a power effect
 *   needs positive values.
 * - Doses: dose records (EVID 1 and 4, rxode2's 101, additional doses of ADDL) with AMT > 0. The route
 *   is the spec's `model.pk.route`, not CMT: oral doses go to the absorption depot, IV doses are boluses
 *   or, with RATE/DUR, zero-order infusions; SS = 1 with II makes a dose the latest of an infinite series
 *   (`steadyState`). Refused, naming the line: an infusion in an oral study (zero-order input into the
 *   depot is not modelled) and SS = 2 (a steady state added to what came before).
 * - Resets: a record with `reset` (EVID 3/4, or a new occasion where TIME restarts) empties the
 *   subject's compartments. The subject's history is cut there into segments; each segment is
 *   predicted on its own from empty compartments (PD from its baseline), so doses before a reset are
 *   never carried over, while the subject keeps one set of random effects across segments.
 * - Observations: EVID 0, MDV 0, a finite DV, and the endpoint's DVID and/or CMT. Times are the
 *   Dataset's analysis times (occasions placed one after another, see src/data/types.ts). An
 *   observation below the limit of quantification (the Dataset's `blq`, src/data/censoring.ts) is
 *   bound with `blq` 1 and its value the limit (the fit uses it by Beal's M3 and counts it in a note).
 * - Group: the value of the `groupBy` column ("DOSE 25"), or for "regimen" a label of the subject's
 *   dosing ("10 mg oral, 21 doses every 24 h").
 */
import { findCovariate } from '../data/explore/covariate-lookup';
import { shortText } from '../data/issues';
import { formatCount, formatNumber } from '../text/format';
import { normalizeDataset } from '../data/normalize';
import { type Dataset, EVID_DOSE, EVID_OBSERVATION, SS_ADD, SS_RESET, type Subject } from '../data/types';
import type { DoseEvent } from '../pkpd/structural/doses';
import type { EndpointSelector, StudySpec, StudyUnits } from './study-spec';
import { specColumnProblems } from './study-spec-reader';

/** The data cannot be read through the spec: names the spec's field (`field`) and what to do. */
export class StudyDataError extends Error {
  override readonly name = 'StudyDataError';
  constructor(
    /** Dotted path of the spec's field concerned, e.g. "model.covariates[0].column"; "" for the file itself. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export type EndpointName = 'pk' | 'pd';

/** One endpoint's observations of a subject, in time order. */
export interface StudyObservations {
  /** Analysis times (the Dataset's `time`). */
  times: Float64Array;
  values: Float64Array;
  /** Segment (see StudySubject.segments) of each observation. */
  segment: Int32Array;
  /** File line of each observation. */
  lines: Int32Array;
  /** 1 where the observation is below the limit of quantification (left-censored; `values` holds the limit). */
  blq: Uint8Array;
  /** The observation's limit of quantification where the file gives one, else 0. */
  lloq: Float64Array;
}

/** The part of a subject's history between two resets. */
export interface StudySegment {
  /** Analysis time of the segment's first record. */
  start: number;
  doses: DoseEvent[];
  /** File line of each dose. */
  doseLines: number[];
}

export interface StudySubject {
  id: string;
  /** Index into Dataset.subjects. */
  index: number;
  group: string;
  /** Arm dose as the Dataset reports it (for plots that stratify by it). */
  armDose: number;
  /** Baseline value of every numeric column, by its name in upper case (NaN where missing). */
  covariates: Readonly<Record<string, number>>;
  /** At least one; a new one at each reset after the subject's first record. */
  segments: StudySegment[];
  pk: StudyObservations;
  pd: StudyObservations;
}

export interface StudyData {
  fileName: string;
  spec: StudySpec;
  /** Subjects with at least one observation of an endpoint the spec names, in file order. */
  subjects: StudySubject[];
  /** Distinct group labels, in order of first appearance. */
  groups: string[];
  /** Upper-case names of the columns the covariate effects use, in the spec's order, each once. */
  effectColumns: string[];
  /** What the binding did that a user should know (time-varying covariates used at baseline, subjects left out). */
  notes: string[];
}

const SHOWN = 5;

function listIds(ids: readonly string[]): string {
  const head = ids
    .slice(0, SHOWN)
    .map((id) => shortText(id))
    .join(', ');
  return ids.length > SHOWN ? `${head} and ${formatCount(ids.length - SHOWN)} more` : head;
}

function describeSelector(selector: EndpointSelector): string {
  const parts: string[] = [];
  if (selector.dvid !== undefined) parts.push(`DVID ${selector.dvid}`);
  if (selector.cmt !== undefined) parts.push(`CMT ${selector.cmt}`);
  return parts.join(' and ');
}

/** Reads the dataset through the spec; throws a StudyDataError naming the field for what cannot work. */
export function bindStudy(input: Dataset, spec: StudySpec): StudyData {
  const dataset = normalizeDataset(input);
  const file = dataset.fileName;
  checkColumns(dataset, spec);
  const notes: string[] = [];
  const pkSelector = spec.endpoints.pk;
  const pdSelector = spec.endpoints.pd;
  const effectColumns: string[] = [];
  for (const effect of spec.model.covariates) {
    const name = (findCovariate(dataset, effect.column)?.name ?? effect.column).toUpperCase();
    if (!effectColumns.includes(name)) effectColumns.push(name);
  }
  const groupColumn = spec.groupBy === 'regimen' ? undefined : findCovariate(dataset, spec.groupBy)?.name;
  for (const name of new Set([...effectColumns, ...(groupColumn ? [groupColumn.toUpperCase()] : [])])) {
    const covariate = dataset.covariates.find((c) => c.name.toUpperCase() === name);
    if (covariate?.kind === 'time-varying') {
      notes.push(`${covariate.name} varies within subjects; each subject's first value (its baseline) is used.`);
    }
  }

  const subjects: StudySubject[] = [];
  let unobserved = 0;
  dataset.subjects.forEach((subject, index) => {
    // A subject without records is one a split view withholds (the file's own subjects all have
    // records): not the study's to mention.
    if (subject.recordCount === 0) return;
    const bound = bindSubject(dataset, spec, subject, index, groupColumn);
    if (bound.pk.times.length === 0 && bound.pd.times.length === 0) unobserved++;
    else subjects.push(bound);
  });
  if (unobserved > 0) {
    notes.push(`${formatCount(unobserved)} subject(s) have no observation of the study's endpoints and are left out.`);
  }
  if (pkSelector) checkEndpoint(dataset, spec, 'pk', subjects);
  if (pdSelector && spec.model.pd) checkEndpoint(dataset, spec, 'pd', subjects);
  checkCovariateValues(spec, subjects, file);
  const groups: string[] = [];
  for (const s of subjects) if (!groups.includes(s.group)) groups.push(s.group);
  return { fileName: file, spec, subjects, groups, effectColumns, notes };
}

/** Every column the spec names is a numeric column of the file. */
function checkColumns(dataset: Dataset, spec: StudySpec): void {
  const file = dataset.fileName;
  const missing = specColumnProblems(spec, dataset.format.columns);
  if (missing.length > 0) {
    const { path, message } = missing[0];
    throw new StudyDataError(
      path,
      `${file}: the study spec's ${path} ${message}. Correct the spec's column name or choose the file it describes.`,
    );
  }
  const named: [string, string][] = spec.model.covariates.map((c, i) => [c.column, `model.covariates[${i}].column`]);
  if (spec.groupBy !== 'regimen') named.push([spec.groupBy, 'groupBy']);
  for (const [column, path] of named) {
    if (!findCovariate(dataset, column)) {
      throw new StudyDataError(
        path,
        `${file}: the study spec's ${path} names the column ${column}, which holds no numbers (text-only and standard NONMEM columns are not covariates). Recode ${column} as numbers (e.g. 0/1), or name another column.`,
      );
    }
  }
}

function emptyObservations(): { times: number[]; values: number[]; segment: number[]; lines: number[]; blq: number[]; lloq: number[] } {
  return { times: [], values: [], segment: [], lines: [], blq: [], lloq: [] };
}

/** Whether an observation with this DVID and CMT belongs to the endpoint `selector` selects. */
export function endpointMatches(selector: EndpointSelector | undefined, dvid: number, cmt: number): boolean {
  if (!selector) return false;
  if (selector.dvid !== undefined && dvid !== selector.dvid) return false;
  if (selector.cmt !== undefined && cmt !== selector.cmt) return false;
  return true;
}

function bindSubject(dataset: Dataset, spec: StudySpec, subject: Subject, index: number, groupColumn: string | undefined): StudySubject {
  const r = dataset.records;
  const file = dataset.fileName;
  const oral = spec.model.pk.route === 'oral';
  const segments: StudySegment[] = [];
  const pk = emptyObservations();
  const pd = emptyObservations();
  const end = subject.firstRecord + subject.recordCount;
  for (let k = subject.firstRecord; k < end; k++) {
    if (segments.length === 0 || (r.reset[k] === 1 && k > subject.firstRecord))
      segments.push({ start: r.time[k], doses: [], doseLines: [] });
    const segment = segments.length - 1;
    if (r.evid[k] === EVID_DOSE && r.amt[k] > 0) {
      const line = r.sourceLine[k];
      const infusion = r.duration[k] > 0;
      if (oral && infusion) {
        throw new StudyDataError(
          'model.pk.route',
          `${file}, line ${line}: subject ${shortText(subject.id)} has an infusion (RATE or DUR), but the study's route is oral; zero-order input into the absorption depot is not modelled. Set model.pk.route to "iv" if the doses are intravenous, or remove RATE/DUR from oral doses.`,
        );
      }
      if (r.ss[k] === SS_ADD) {
        throw new StudyDataError(
          '',
          `${file}, line ${line}: subject ${shortText(subject.id)} has a dose with SS = 2 (a steady state added to the doses before it), which the fit does not model. Use SS = 1 (steady state resetting what came before) or write the earlier doses out.`,
        );
      }
      const dose: DoseEvent = { time: r.time[k], amount: r.amt[k], route: oral ? 'oral' : infusion ? 'infusion' : 'bolus' };
      if (infusion) dose.duration = r.duration[k];
      if (r.ss[k] === SS_RESET) dose.steadyState = { interval: r.ii[k] };
      segments[segment].doses.push(dose);
      segments[segment].doseLines.push(line);
    } else if (r.evid[k] === EVID_OBSERVATION && r.mdv[k] === 0 && Number.isFinite(r.dv[k])) {
      const into = endpointMatches(spec.endpoints.pk, r.dvid[k], r.cmt[k])
        ? pk
        : endpointMatches(spec.endpoints.pd, r.dvid[k], r.cmt[k])
          ? pd
          : null;
      if (into) {
        into.times.push(r.time[k]);
        into.values.push(r.dv[k]);
        into.segment.push(segment);
        into.lines.push(r.sourceLine[k]);
        into.blq.push(r.blq[k]);
        into.lloq.push(r.lloq[k]);
      }
    }
  }
  const covariates: Record<string, number> = {};
  for (const c of dataset.covariates) {
    const v = subject.baseline[c.name];
    covariates[c.name.toUpperCase()] = typeof v === 'number' ? v : Number.NaN;
  }
  const doses = segments.flatMap((s) => s.doses);
  const group = groupColumn ? groupLabel(groupColumn, covariates[groupColumn.toUpperCase()]) : regimenLabel(doses, spec.units);
  const freeze = (o: ReturnType<typeof emptyObservations>): StudyObservations => ({
    times: Float64Array.from(o.times),
    values: Float64Array.from(o.values),
    segment: Int32Array.from(o.segment),
    lines: Int32Array.from(o.lines),
    blq: Uint8Array.from(o.blq),
    lloq: Float64Array.from(o.lloq),
  });
  return { id: subject.id, index, group, armDose: subject.armDose, covariates, segments, pk: freeze(pk), pd: freeze(pd) };
}

/** A subject's group label for a groupBy column: "DOSE 25", "DOSE missing". */
export function groupLabel(column: string, value: number): string {
  return Number.isNaN(value) ? `${column} missing` : `${column} ${formatNumber(value)}`;
}

/** "10 mg oral, 21 doses every 24 h", "25 mg IV infusion", "no doses". */
export function regimenLabel(doses: readonly DoseEvent[], units: Pick<StudyUnits, 'amount' | 'time'>): string {
  if (doses.length === 0) return 'no doses';
  const amounts = [...new Set(doses.map((d) => d.amount))].sort((a, b) => a - b);
  const amountText =
    amounts.length <= 3 ? amounts.map(formatNumber).join('/') : `${formatNumber(amounts[0])}–${formatNumber(amounts[amounts.length - 1])}`;
  const route = doses[0].route === 'oral' ? 'oral' : doses.some((d) => d.route === 'infusion') ? 'IV infusion' : 'IV bolus';
  let text = `${amountText} ${units.amount} ${route}`;
  const ss = doses.find((d) => d.steadyState);
  if (ss?.steadyState) text += ` at steady state every ${formatNumber(ss.steadyState.interval)} ${units.time}`;
  if (doses.length > 1) {
    const gaps = doses
      .slice(1)
      .map((d, i) => d.time - doses[i].time)
      .sort((a, b) => a - b);
    const mid = gaps.length >> 1;
    const typical = gaps.length % 2 === 1 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
    const regular = gaps[0] > typical * 0.99 && gaps[gaps.length - 1] < typical * 1.01;
    text += `, ${formatCount(doses.length)} doses every ${regular ? '' : '~'}${formatNumber(Number(typical.toPrecision(3)))} ${units.time}`;
  }
  return text;
}

/** The endpoint selects at least one observation; else say what the file has. */
function checkEndpoint(dataset: Dataset, spec: StudySpec, endpoint: EndpointName, subjects: readonly StudySubject[]): void {
  if (subjects.some((s) => s[endpoint].times.length > 0)) return;
  const selector = spec.endpoints[endpoint] as EndpointSelector;
  const r = dataset.records;
  const kinds = new Map<string, number>();
  for (let k = 0; k < r.evid.length; k++) {
    if (r.evid[k] !== EVID_OBSERVATION || r.mdv[k] !== 0 || !Number.isFinite(r.dv[k])) continue;
    const key = `DVID ${formatNumber(r.dvid[k])}${Number.isNaN(r.cmt[k]) ? '' : ` on CMT ${formatNumber(r.cmt[k])}`}`;
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
  }
  const present = [...kinds].map(([key, n]) => `${key} (${formatCount(n)})`).join(', ');
  const what = endpoint === 'pk' ? 'concentration (PK)' : 'response (PD)';
  throw new StudyDataError(
    `endpoints.${endpoint}`,
    `${dataset.fileName}: the ${what} endpoint selects ${describeSelector(selector)}, but no usable observation (EVID 0, MDV 0, a DV) has ${
      selector.dvid !== undefined && selector.cmt !== undefined ? 'both' : 'it'
    }. The file's observations are: ${present || 'none'}. Correct endpoints.${endpoint} in the study spec.`,
  );
}

function checkCovariateValues(spec: StudySpec, subjects: readonly StudySubject[], file: string): void {
  spec.model.covariates.forEach((effect, i) => {
    const path = `model.covariates[${i}]`;
    const column = effect.column.toUpperCase();
    const what = `the ${effect.form} effect of ${column} on ${effect.on} (${path})`;
    const missing = subjects.filter((s) => Number.isNaN(s.covariates[column])).map((s) => s.id);
    if (missing.length > 0) {
      throw new StudyDataError(
        `${path}.column`,
        `${file}: ${column} is missing for ${formatCount(missing.length)} subject(s) with observations (${listIds(missing)}); ${what} needs it for every subject. Fill in ${column}, or remove the effect.`,
      );
    }
    if (effect.form === 'factor') {
      const values = [...new Set(subjects.map((s) => s.covariates[column]))].sort((a, b) => a - b);
      if (values.some((v) => v !== 0 && v !== 1)) {
        const shown = values.slice(0, 6).map(formatNumber).join(', ');
        throw new StudyDataError(
          `${path}.form`,
          `${file}: ${what} needs a 0/1 column, but ${column} has the values ${shown}${values.length > 6 ? ', …' : ''}. Recode it as 0/1 (e.g. ${column} − ${formatNumber(values[0])} for a two-level column), or use a power or linear effect.`,
        );
      }
    }
    if (effect.form === 'power') {
      const bad = subjects.filter((s) => !(s.covariates[column] > 0));
      if (bad.length > 0) {
        throw new StudyDataError(
          `${path}.form`,
          `${file}: ${what} needs positive values, but ${column} is ${formatNumber(bad[0].covariates[column])} for subject ${shortText(bad[0].id)}${
            bad.length > 1 ? ` (and ${formatCount(bad.length - 1)} more)` : ''
          }. Use a linear effect, or correct the values.`,
        );
      }
    }
  });
}
