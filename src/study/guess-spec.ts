/**
 * A study spec proposed for a file nobody has described yet: what the file shows (observation types
 * with their counts, doses, covariates — `studyFacts`) and the guesses a mapping step offers from it
 * (`guessStudySpec`), which a user then checks and confirms. Pure; the same code runs in the ingest
 * worker (a new file), in a store migration (datasets stored before specs existed) and in the tests.
 *
 * The guesses:
 * - endpoints: the observation types are DVIDs where the file has a DVID column, else CMTs where it
 *   has a CMT column, else one type (DVID 1, every observation). One type → the drug concentration
 *   (PK) only; two or more → the lowest is PK and the next one the response (PD), as the ingest reads
 *   two observation compartments;
 * - route: IV when there are infusions (RATE/DUR) or when every dose goes into the compartment the
 *   concentrations are observed in; otherwise oral (doses into a depot, or no CMT to tell);
 * - model: compartments "auto", no lag, PD family "auto" with a PD endpoint; no covariate effects (a
 *   user adds them); random effects on CL and V (and KA for oral doses, BASE with a response);
 * - groupBy: a dose-like column (DOSE, ARM, TRT, …) with at most GROUP_LIMIT values, else "regimen";
 * - units: h, mg and mg/L (a file does not say its units; a unit guessed from magnitudes would be
 *   wrong as often as right, so the mapping step asks), no response unit;
 * - no questions.
 * The demo data (recognised by content: ESTDATA_FINGERPRINT) get the EstData preset instead.
 */
import { Fnv1a64 } from '../data/hash';
import { baselineOf } from '../data/explore/covariate-lookup';
import { GROUP_LIMIT, subjectGroups } from '../data/explore/groups';
import { type CovariateKind, type Dataset, EVID_DOSE, EVID_OBSERVATION } from '../data/types';
import { formatCount, formatNumber } from '../text/format';
import type { EndpointSelector, PkRoute, StudyEndpoints, StudySpec } from './study-spec';
import { STUDY_FORMAT, STUDY_VERSION } from './study-spec';
import { STUDY_LIMITS } from './study-spec-reader';
import { estDataPreset } from './estdata-preset';

/** Where a dataset's study spec came from. */
export type StudySource = 'preset' | 'guess' | 'remembered' | 'user' | 'imported';

/** datasetFingerprint of the demo data (public/demo/EstData.csv): tested against the file. */
export const ESTDATA_FINGERPRINT = '43ce49c019bf6eba';

/** Usable observations (EVID 0, MDV 0, a DV) of one DVID and CMT (NaN when the file has none). */
export interface ObservationKind {
  dvid: number;
  cmt: number;
  count: number;
}

export interface CovariateFacts {
  /** As the dataset names it (upper case). */
  name: string;
  kind: CovariateKind;
  /** Distinct values of the subjects' baselines, ascending: all of them up to GROUP_LIMIT + 1. */
  values: number[];
  /** More distinct values than GROUP_LIMIT. */
  manyValues: boolean;
  /** Every value a whole number. */
  integer: boolean;
  /** Subjects without a value. */
  missing: number;
}

export interface StudyFacts {
  fileName: string;
  /** The file's columns as written. */
  columns: string[];
  hasDvidColumn: boolean;
  hasCmtColumn: boolean;
  subjects: number;
  /** By DVID, then CMT. */
  observations: ObservationKind[];
  doses: {
    count: number;
    /** Doses with RATE or DUR (zero-order infusions). */
    infusions: number;
    /** Distinct CMTs doses go into, ascending (NaN last: doses without a CMT). */
    compartments: number[];
  };
  covariates: CovariateFacts[];
  /** Groups the subjects' dosing gives (groupBy "regimen"), with the guessed route. */
  regimenGroups: number;
}

const hasColumn = (columns: readonly string[], ...names: string[]): boolean => columns.some((c) => names.includes(c.trim().toUpperCase()));

const byNumber = (a: number, b: number): number => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b);

/** One pass over the records: the usable observations by DVID and CMT, and the doses. */
function scanRecords(dataset: Dataset): { observations: ObservationKind[]; doses: StudyFacts['doses'] } {
  const r = dataset.records;
  // A file has a few observation types: a short list searched in order is faster than a map here.
  const kinds: ObservationKind[] = [];
  const doseCompartments = new Set<number>();
  let doses = 0;
  let infusions = 0;
  for (let k = 0; k < r.evid.length; k++) {
    if (r.evid[k] === EVID_OBSERVATION && r.mdv[k] === 0 && Number.isFinite(r.dv[k])) {
      const dvid = r.dvid[k];
      const cmt = r.cmt[k];
      let kind: ObservationKind | undefined;
      for (let i = 0; i < kinds.length; i++) {
        const c = kinds[i];
        if (c.dvid === dvid && (c.cmt === cmt || (c.cmt !== c.cmt && cmt !== cmt))) {
          kind = c;
          break;
        }
      }
      if (kind) kind.count++;
      else kinds.push({ dvid, cmt, count: 1 });
    } else if (r.evid[k] === EVID_DOSE && r.amt[k] > 0) {
      doses++;
      if (r.duration[k] > 0) infusions++;
      doseCompartments.add(r.cmt[k]);
    }
  }
  return {
    observations: kinds.sort((a, b) => byNumber(a.dvid, b.dvid) || byNumber(a.cmt, b.cmt)),
    doses: { count: doses, infusions, compartments: [...doseCompartments].sort(byNumber) },
  };
}

/** The file's observation types (as endpointChoices gives them) with their counts: one pass over the records. */
export function observationChoices(dataset: Dataset): EndpointChoice[] {
  const columns = dataset.format.columns;
  return endpointChoices({
    observations: scanRecords(dataset).observations,
    hasDvidColumn: hasColumn(columns, 'DVID', 'YTYPE'),
    hasCmtColumn: hasColumn(columns, 'CMT'),
  });
}

/** What a mapping step shows about a dataset. One pass over the records, one over the subjects per covariate. */
export function studyFacts(dataset: Dataset): StudyFacts {
  const { observations, doses } = scanRecords(dataset);
  const covariates = dataset.covariates.map((c): CovariateFacts => {
    const values = new Set<number>();
    let missing = 0;
    let integer = true;
    for (const subject of dataset.subjects) {
      const v = baselineOf(subject, c);
      if (Number.isNaN(v)) {
        missing++;
        continue;
      }
      if (!Number.isInteger(v)) integer = false;
      if (values.size <= GROUP_LIMIT) values.add(v);
    }
    return {
      name: c.name,
      kind: c.kind,
      values: [...values].sort(byNumber),
      manyValues: values.size > GROUP_LIMIT,
      integer,
      missing,
    };
  });
  const facts: StudyFacts = {
    fileName: dataset.fileName,
    columns: [...dataset.format.columns],
    hasDvidColumn: hasColumn(dataset.format.columns, 'DVID', 'YTYPE'),
    hasCmtColumn: hasColumn(dataset.format.columns, 'CMT'),
    subjects: dataset.subjects.length,
    observations,
    doses,
    covariates,
    regimenGroups: 0,
  };
  const spec = guessStudySpec(facts);
  facts.regimenGroups = subjectGroups(dataset, { ...spec, groupBy: 'regimen' }, Number.POSITIVE_INFINITY).groups.length;
  return facts;
}

/** One choice of observations for an endpoint, with how many observations it selects. */
export interface EndpointChoice {
  /** "dvid:1", "cmt:2". */
  key: string;
  selector: Pick<EndpointSelector, 'dvid' | 'cmt'>;
  /** "DVID 1", "CMT 2", "all observations". */
  label: string;
  count: number;
}

/** How many of the file's observations a selector selects. */
export function selectedCount(facts: Pick<StudyFacts, 'observations'>, selector: Pick<EndpointSelector, 'dvid' | 'cmt'>): number {
  let n = 0;
  for (const o of facts.observations) {
    if (selector.dvid !== undefined && o.dvid !== selector.dvid) continue;
    if (selector.cmt !== undefined && o.cmt !== selector.cmt) continue;
    n += o.count;
  }
  return n;
}

/** The key of a selector, as EndpointChoice.key: "dvid:1", "cmt:2", "dvid:1|cmt:2". */
export function selectorKey(selector: Pick<EndpointSelector, 'dvid' | 'cmt'>): string {
  const parts: string[] = [];
  if (selector.dvid !== undefined) parts.push(`dvid:${selector.dvid}`);
  if (selector.cmt !== undefined) parts.push(`cmt:${selector.cmt}`);
  return parts.join('|');
}

/** "DVID 1", "CMT 2", "DVID 1 on CMT 2". */
export function selectorLabel(selector: Pick<EndpointSelector, 'dvid' | 'cmt'>): string {
  const parts: string[] = [];
  if (selector.dvid !== undefined) parts.push(`DVID ${formatNumber(selector.dvid)}`);
  if (selector.cmt !== undefined) parts.push(`CMT ${formatNumber(selector.cmt)}`);
  return parts.join(' on ');
}

/**
 * The observation types a user can choose an endpoint from: DVIDs where the file has a DVID column,
 * else CMTs where it has a CMT column, else all observations (read as DVID 1).
 */
export function endpointChoices(facts: Pick<StudyFacts, 'observations' | 'hasDvidColumn' | 'hasCmtColumn'>): EndpointChoice[] {
  const byDvid = facts.hasDvidColumn || !facts.hasCmtColumn;
  const values = [...new Set(facts.observations.map((o) => (byDvid ? o.dvid : o.cmt)).filter((v) => !Number.isNaN(v)))].sort(byNumber);
  return values.map((value) => {
    const selector = byDvid ? { dvid: value } : { cmt: value };
    const label = !facts.hasDvidColumn && !facts.hasCmtColumn ? 'all observations' : selectorLabel(selector);
    return { key: selectorKey(selector), selector, label, count: selectedCount(facts, selector) };
  });
}

export function guessEndpoints(facts: Pick<StudyFacts, 'observations' | 'hasDvidColumn' | 'hasCmtColumn'>): StudyEndpoints {
  const [pk, pd] = endpointChoices(facts);
  if (!pk) return { pk: { dvid: 1 } };
  return pd ? { pk: { ...pk.selector }, pd: { ...pd.selector } } : { pk: { ...pk.selector } };
}

/** The compartments the PK endpoint's observations come from (NaN: without a CMT). */
function observedCompartments(facts: Pick<StudyFacts, 'observations'>, pk: EndpointSelector | undefined): number[] {
  if (!pk) return [];
  const cmts = facts.observations.filter((o) => selectedCount({ observations: [o] }, pk) > 0).map((o) => o.cmt);
  return [...new Set(cmts)];
}

/** The route of the doses, with the reason in words (shown beside the guess). */
export function guessRoute(
  facts: Pick<StudyFacts, 'observations' | 'doses'>,
  pk: EndpointSelector | undefined,
): { route: PkRoute; reason: string } {
  const { doses } = facts;
  if (doses.count === 0) return { route: 'oral', reason: 'the file has no doses' };
  if (doses.infusions > 0) return { route: 'iv', reason: `${formatCount(doses.infusions)} doses are infusions (RATE or DUR)` };
  const observed = observedCompartments(facts, pk).filter((c) => !Number.isNaN(c));
  const into = doses.compartments.filter((c) => !Number.isNaN(c));
  if (into.length === 0 || observed.length === 0) return { route: 'oral', reason: 'no CMT tells where the doses go; oral is assumed' };
  if (into.every((c) => observed.includes(c)))
    return {
      route: 'iv',
      reason: `the doses go into the compartment the concentrations are observed in (CMT ${into.map(formatNumber).join(', ')})`,
    };
  return {
    route: 'oral',
    reason: `the doses go into CMT ${into.map(formatNumber).join(', ')} and the concentrations are observed in CMT ${observed.map(formatNumber).join(', ')}`,
  };
}

/** Columns whose values are the subjects' dose groups (the design's arms, not a characteristic of the subjects). */
export const DOSE_LIKE = /^(DOSE|DOSEGRP|DOSEGROUP|DOSE_GROUP|DOSELEVEL|ARM|TRT|TREAT|TREATMENT|GROUP|GRP|COHORT)$/;

export function guessGroupBy(facts: Pick<StudyFacts, 'covariates'>): string {
  const column = facts.covariates.find(
    (c) => DOSE_LIKE.test(c.name.toUpperCase()) && !c.manyValues && c.values.length > 0 && c.name.length <= STUDY_LIMITS.columnNameLength,
  );
  return column ? column.name : 'regimen';
}

/** The file's name as a spec's name: no control characters, at most the spec's name length. */
function studyName(fileName: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const name = fileName.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return name.slice(0, STUDY_LIMITS.nameLength).trim() || 'Study';
}

/** The guessed spec for a file (see the header); valid by readStudySpec. */
export function guessStudySpec(facts: StudyFacts): StudySpec {
  const endpoints = guessEndpoints(facts);
  const { route } = guessRoute(facts, endpoints.pk);
  const randomEffects: StudySpec['model']['randomEffects'] = route === 'oral' ? ['CL', 'V', 'KA'] : ['CL', 'V'];
  const spec: StudySpec = {
    format: STUDY_FORMAT,
    version: STUDY_VERSION,
    name: studyName(facts.fileName),
    units: { time: 'h', amount: 'mg', concentration: 'mg/L', response: '' },
    endpoints,
    groupBy: guessGroupBy(facts),
    model: { pk: { route, compartments: 'auto', lag: false }, covariates: [], randomEffects },
  };
  if (endpoints.pd) {
    spec.model.pd = { family: 'auto' };
    randomEffects.push('BASE');
  }
  return spec;
}

/** The spec offered for a newly read file: the EstData preset for the demo data, else the guess. */
export function proposeStudy(dataset: Dataset, fingerprint: string): { spec: StudySpec; source: 'preset' | 'guess' } {
  if (fingerprint === ESTDATA_FINGERPRINT) return { spec: estDataPreset(), source: 'preset' };
  return { spec: guessStudySpec(studyFacts(dataset)), source: 'guess' };
}

/** A file's header, as the key under which the spec a user confirmed for it is remembered: its sorted column names, hashed. */
export function headerSignature(columns: readonly string[]): string {
  const names = [...new Set(columns.map((c) => c.trim().toUpperCase()))].sort();
  const h = new Fnv1a64();
  h.number(names.length);
  for (const name of names) h.text(name);
  return `header:${h.hex()}`;
}
