/**
 * Minimal test fixture: plain NONMEM-like rows → Dataset, for unit tests of the explore
 * derivations. Not a parser and not the real ingest: no validation, no issues, no inference
 * beyond the defaults documented on FixtureRow.
 */
import type { StudySpec } from '../../study/study-spec';
import type { Covariate, Dataset, EventRecords, Subject } from '../types';
import { DVID_PK, EVID_DOSE, EVID_OBSERVATION } from '../types';
import { emptyEventRecords } from '../event-records';

export interface FixtureRow {
  id: string | number;
  time: number;
  /** Default NaN. */
  dv?: number;
  /** Default 0 (observation). */
  evid?: number;
  /** Default 1 for non-observations and NaN DV, else 0. */
  mdv?: number;
  /** Default 0. */
  amt?: number;
  /** Default NaN. */
  cmt?: number;
  /** Default 1 (PK) on observations, 0 otherwise. */
  dvid?: number;
  /** Covariate values for this record by upper-case column name, e.g. { BW: 70, COMED: 1 }. */
  cov?: Record<string, number>;
}

export function buildDataset(rows: readonly FixtureRow[], fileName = 'fixture.csv'): Dataset {
  // Group rows by subject in order of first appearance, keeping file order within a subject.
  const order: string[] = [];
  const bySubject = new Map<string, { row: FixtureRow; line: number }[]>();
  rows.forEach((row, i) => {
    const id = String(row.id);
    let list = bySubject.get(id);
    if (!list) {
      list = [];
      bySubject.set(id, list);
      order.push(id);
    }
    list.push({ row, line: i + 2 });
  });
  const grouped = order.flatMap((id) => bySubject.get(id) ?? []);
  const n = grouped.length;

  const covNames = [...new Set(rows.flatMap((r) => Object.keys(r.cov ?? {})))];
  const records: EventRecords = emptyEventRecords(n);
  const covValues = covNames.map(() => new Float64Array(n).fill(Number.NaN));

  grouped.forEach(({ row, line }, i) => {
    const evid = row.evid ?? EVID_OBSERVATION;
    const dv = row.dv ?? Number.NaN;
    records.subject[i] = order.indexOf(String(row.id));
    records.time[i] = row.time;
    records.dv[i] = dv;
    records.evid[i] = evid;
    records.mdv[i] = row.mdv ?? (evid !== EVID_OBSERVATION || Number.isNaN(dv) ? 1 : 0);
    records.amt[i] = row.amt ?? 0;
    records.cmt[i] = row.cmt ?? Number.NaN;
    records.dvid[i] = row.dvid ?? (evid === EVID_OBSERVATION ? DVID_PK : 0);
    records.sourceLine[i] = line;
    covNames.forEach((name, c) => {
      covValues[c][i] = row.cov?.[name] ?? Number.NaN;
    });
  });

  const subjects: Subject[] = [];
  let first = 0;
  for (const id of order) {
    const count = bySubject.get(id)?.length ?? 0;
    const range = Array.from({ length: count }, (_, k) => first + k);
    const baseline: Record<string, number> = {};
    covNames.forEach((name, c) => {
      const v = range.map((i) => covValues[c][i]).find((x) => !Number.isNaN(x));
      baseline[name] = v ?? Number.NaN;
    });
    const doses = range.filter((i) => records.evid[i] === EVID_DOSE);
    const observed = (dvid: number): number =>
      range.filter((i) => records.evid[i] === EVID_OBSERVATION && records.mdv[i] === 0 && records.dvid[i] === dvid).length;
    subjects.push({
      id,
      firstRecord: first,
      recordCount: count,
      baseline,
      armDose: 'DOSE' in baseline ? baseline.DOSE : mostFrequent(doses.map((i) => records.amt[i])),
      doseCount: doses.length,
      pkCount: observed(1),
      pdCount: observed(2),
    });
    first += count;
  }

  const covariates: Covariate[] = covNames.map((name, c) => {
    const values = covValues[c];
    const constant = subjects.every((s) => {
      const vs = new Set<number>();
      for (let i = s.firstRecord; i < s.firstRecord + s.recordCount; i++) if (!Number.isNaN(values[i])) vs.add(values[i]);
      return vs.size <= 1;
    });
    return {
      name,
      kind: constant ? 'subject' : 'time-varying',
      values,
      binary: Array.from(values).every((v) => Number.isNaN(v) || v === 0 || v === 1),
    };
  });

  const observationTypes = [
    ...new Set(Array.from(records.dvid).filter((d, i) => records.evid[i] === EVID_OBSERVATION && records.mdv[i] === 0 && d > 0)),
  ].sort((a, b) => a - b);

  return {
    fileName,
    rowCount: n,
    format: {
      delimiter: ',',
      hadByteOrderMark: false,
      inferredEvents: false,
      decimalComma: false,
      columns: ['ID', 'TIME', 'DV', 'EVID', 'MDV', 'AMT', 'CMT', 'DVID', ...covNames],
    },
    records,
    covariates,
    subjects,
    observationTypes,
  };
}

function mostFrequent(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) if (Number.isFinite(v) && v > 0) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

/**
 * A study spec for the fixtures: DVID 1 concentration and DVID 2 response in ng/mL, hours and mg, oral
 * doses, grouped by regimen; `edit` changes it.
 */
export function fixtureSpec(edit: (spec: StudySpec) => void = () => undefined): StudySpec {
  const spec: StudySpec = {
    format: 'qpkpd-study',
    version: 1,
    name: 'fixture',
    units: { time: 'h', amount: 'mg', concentration: 'ng/mL', response: 'ng/mL' },
    endpoints: { pk: { dvid: DVID_PK }, pd: { dvid: 2 } },
    groupBy: 'regimen',
    model: { pk: { route: 'oral', compartments: 1, lag: false }, pd: { family: 'auto' }, covariates: [], randomEffects: ['CL'] },
  };
  edit(spec);
  return spec;
}
