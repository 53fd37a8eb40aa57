/**
 * The three real public files in test-data/real (provenance in test-data/README.md), read whole:
 * each is accepted with exactly the warnings it deserves, and its subjects, doses, observations and
 * covariates are what the file holds.
 */
import { describe, expect, it } from 'vitest';
import { ingestText } from './ingest';
import { maxOf } from './min-max';
import type { DataIssue, Dataset } from './types';
import { EVID_DOSE, EVID_OBSERVATION } from './types';
import { readRealDatasetCsv, type RealDatasetName } from '../testing/fixture-files';

function read(name: RealDatasetName): { dataset: Dataset; warnings: DataIssue[] } {
  const result = ingestText(readRealDatasetCsv(name), `${name}.csv`);
  if (!result.ok) throw new Error(`expected acceptance, got: ${result.errors.map((e) => e.message).join('; ')}`);
  return result;
}

/** Indices of the dose records. */
function doses(dataset: Dataset): number[] {
  const list: number[] = [];
  dataset.records.evid.forEach((evid, k) => {
    if (evid === EVID_DOSE) list.push(k);
  });
  return list;
}

function usableObservations(dataset: Dataset): number {
  const { evid, mdv } = dataset.records;
  let n = 0;
  for (let k = 0; k < evid.length; k++) if (evid[k] === EVID_OBSERVATION && mdv[k] === 0) n++;
  return n;
}

/** Time never decreases within a subject. */
function timeIsOrdered(dataset: Dataset): boolean {
  const { time, subject } = dataset.records;
  for (let k = 1; k < time.length; k++) if (subject[k] === subject[k - 1] && time[k] < time[k - 1]) return false;
  return true;
}

describe('theo_sd.csv (theophylline, rxode2 EVID 101)', () => {
  const { dataset, warnings } = read('theo_sd');

  it('is accepted with a warning naming the rxode2 coding, the assumed DVID and the pre-dose zeros', () => {
    expect(warnings.map((w) => w.code)).toEqual(['rxode2-evid', 'dvid-assumed', 'non-positive-concentration']);
    expect(warnings[0].message).toBe(
      "theo_sd.csv, line 2, column EVID: EVID 101 (lines 2, 14, 26, 38, 50 and 7 more) is rxode2/nlmixr2's code for a dose into compartment 1: read as doses (EVID 1) into CMT 1",
    );
    expect(warnings[2].message).toContain('9 drug concentrations are ≤ 0');
  });

  it('has 12 subjects with one oral dose of about 320 mg each into CMT 1, and 132 concentrations in CMT 2', () => {
    expect(dataset.subjects).toHaveLength(12);
    const k = doses(dataset);
    expect(k).toHaveLength(12);
    expect(dataset.subjects.every((s) => s.doseCount === 1 && s.pkCount === 11 && s.pdCount === 0)).toBe(true);
    const amounts = k.map((j) => dataset.records.amt[j]);
    expect(amounts.filter((a) => a > 318 && a < 321)).toHaveLength(11);
    expect(amounts.every((a) => a > 260 && a < 330)).toBe(true);
    expect(k.every((j) => dataset.records.cmt[j] === 1 && dataset.records.rate[j] === 0 && dataset.records.ss[j] === 0)).toBe(true);
    expect(usableObservations(dataset)).toBe(132);
    expect(dataset.observationTypes).toEqual([1]);
    expect(dataset.covariates.map((c) => [c.name, c.kind])).toEqual([['WT', 'subject']]);
    expect(dataset.subjects[0].baseline.WT).toBe(79.6);
    expect(Array.from(dataset.records.reset).every((r) => r === 0)).toBe(true);
  });
});

describe('pheno_sd.csv (phenobarbital, repeated IV bolus, no CMT)', () => {
  const { dataset, warnings } = read('pheno_sd');

  it('is accepted with only the assumed-DVID warning', () => {
    expect(warnings.map((w) => w.code)).toEqual(['dvid-assumed']);
  });

  it('has 59 neonates, 589 doses, 155 concentrations and the covariates WT and APGR', () => {
    expect(dataset.subjects).toHaveLength(59);
    expect(doses(dataset)).toHaveLength(589);
    expect(dataset.subjects.reduce((n, s) => n + s.doseCount, 0)).toBe(589);
    expect(usableObservations(dataset)).toBe(155);
    expect(dataset.covariates.map((c) => [c.name, c.kind])).toEqual([
      ['WT', 'subject'],
      ['APGR', 'subject'],
    ]);
    expect(dataset.subjects[0].baseline).toEqual({ WT: 1.4, APGR: 7 });
    expect(Array.from(dataset.records.cmt).every(Number.isNaN)).toBe(true);
    expect(Array.from(dataset.records.duration).every((d) => d === 0)).toBe(true);
    expect(timeIsOrdered(dataset)).toBe(true);
  });
});

describe('mavoglurant.csv (infusions, two occasions where TIME restarts)', () => {
  const { dataset, warnings } = read('mavoglurant');

  it('is accepted with the warnings the file deserves, one of them for the 78 restarts', () => {
    expect(warnings.map((w) => w.code)).toEqual(['excluded-observations', 'dvid-assumed', 'occasion-restart', 'replicate-observations']);
    const restart = warnings[2];
    expect(restart).toMatchObject({ line: 588, column: 'TIME' });
    expect(restart.message).toMatch(
      /^mavoglurant\.csv, line 588, column TIME: 78 subjects restart TIME at a new occasion \(subjects 829, /,
    );
    expect(restart.message).toContain("read as a reset, as NONMEM's EVID 4");
    expect(warnings[0].message).toContain('53 observation records have MDV 1');
  });

  it('has 120 subjects and 198 infusion doses into CMT 1, each lasting AMT / RATE', () => {
    expect(dataset.subjects).toHaveLength(120);
    const k = doses(dataset);
    expect(k).toHaveLength(198);
    const { amt, rate, duration, cmt } = dataset.records;
    expect(k.every((j) => cmt[j] === 1 && rate[j] > 0 && Math.abs(duration[j] - amt[j] / rate[j]) < 1e-12)).toBe(true);
    expect([...new Set(k.map((j) => rate[j]))].sort((a, b) => a - b)).toEqual([75, 150, 225, 300]);
    // The file's infusions all last ten minutes (AMT 25, 37.5 or 50 mg at 150, 225 or 300 mg/h; one 25 mg at 75 mg/h: 20 min).
    expect(k.filter((j) => Math.abs(duration[j] - 1 / 6) < 1e-12)).toHaveLength(197);
    expect(usableObservations(dataset)).toBe(2427);
    expect(dataset.observationTypes).toEqual([1]);
  });

  it('reads the second occasion of 78 subjects as a reset, on a time axis that never goes back, TIME as written kept', () => {
    const { reset, occasion, time, sourceTime, evid, sourceLine } = dataset.records;
    const resets = Array.from(reset).flatMap((r, j) => (r === 1 ? [j] : []));
    expect(resets).toHaveLength(78);
    expect(resets.every((j) => evid[j] === EVID_DOSE && sourceTime[j] === 0)).toBe(true);
    expect(sourceLine[resets[0]]).toBe(588);
    expect(dataset.subjects.filter((s) => occasion[s.firstRecord + s.recordCount - 1] === 1)).toHaveLength(78);
    expect(timeIsOrdered(dataset)).toBe(true);
    expect(maxOf(sourceTime)).toBe(48.217);
    for (let j = 0; j < time.length; j++) {
      const shift = time[j] - sourceTime[j];
      expect(shift % 24).toBe(0);
      expect(shift === 0).toBe(occasion[j] === 0);
    }
  });

  it('keeps DOSE, AGE, SEX, WT and HT as covariates — not OCC or RATE — and DOSE varies between occasions', () => {
    expect(dataset.covariates.map((c) => [c.name, c.kind])).toEqual([
      ['DOSE', 'time-varying'],
      ['AGE', 'subject'],
      ['SEX', 'subject'],
      ['WT', 'subject'],
      ['HT', 'subject'],
    ]);
    const first = dataset.subjects[0];
    expect(first).toMatchObject({ id: '793', armDose: 25, doseCount: 1 });
    expect(first.baseline).toMatchObject({ AGE: 42, SEX: 1, WT: 94.3 });
    // A crossover subject: 25 mg, then 50 mg; its arm label is the first occasion's DOSE.
    const crossover = dataset.subjects.find((s) => s.id === '829');
    expect(crossover).toMatchObject({ doseCount: 2, armDose: 25 });
    const dose = dataset.covariates[0].values;
    const k = crossover ? doses(dataset).filter((j) => dataset.records.subject[j] === dataset.subjects.indexOf(crossover)) : [];
    expect(k.map((j) => [dataset.records.amt[j], dose[j], dataset.records.occasion[j]])).toEqual([
      [25, 25, 0],
      [50, 50, 1],
    ]);
  });
});
