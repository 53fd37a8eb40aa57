import type { ColumnMap } from './columns';
import type { RawEvents } from './event-rows';
import { formatCount } from '../text/format';
import { describeLines, type IssueLog } from './issues';
import { DVID_PD, DVID_PK, EVID_OBSERVATION } from './types';

/**
 * Values orders of magnitude beyond the rest of their column — a wrong exponent (1e308), a unit
 * slip (µg written as pg), digits run together — pass every per-cell check, and a single one moves a
 * fitted model (one PD value of 1e308 in EstData changed a dose answer from 5 to 15.5 mg).
 *
 * The rule, per column (DV per observation type, so that PK and PD in different units do not mix):
 * - the column's scale is the median M of |x| over its finite, non-zero values (zeros — time 0, doses
 *   of 0, concentrations below the limit of quantification written as 0 — say nothing of scale, and
 *   the median is untouched by up to half the values being wrong);
 * - |x| > 10⁶·M (six orders of magnitude above the median) is an error: the file is refused;
 * - |x| > 10⁴·M (four orders of magnitude) is a warning: the value is kept;
 * - with fewer than 3 non-zero values a column has no scale and is not checked;
 * - only values above the scale are checked: values far below it are normal (concentrations decay
 *   exponentially towards the limit of quantification, times start near 0).
 * On the real files the tests read, the largest value is at most 20 times its column's median (EstData
 * 14× for PD, mavoglurant 18× for DV, pheno 20× for AMT, theophylline 6.5× for TIME), far below the
 * warning threshold; a long study sampled densely early and sparsely for years reaches ~10³.
 */
export const MAGNITUDE_WARNING_FACTOR = 1e4;
export const MAGNITUDE_ERROR_FACTOR = 1e6;
export const MAGNITUDE_MIN_VALUES = 3;

export interface MagnitudeColumn {
  /** How messages name the values, e.g. "TIME", "DV (PK, DVID 1)", "WT". */
  label: string;
  /** The column as written in the file. */
  column: string;
  values: ArrayLike<number>;
  /** File line of each value. */
  lines: ArrayLike<number>;
  /** Only values where `include(i)` holds are part of the column (all when absent). */
  include?: (i: number) => boolean;
  /**
   * Compare with another column's scale instead of this one's own, e.g. spans of time (ADDL × II,
   * infusion durations) with TIME's: `label` names that column in messages.
   */
  against?: { scale: number | null; label: string };
}

/** The scale of a column: the (lower) median of its finite non-zero |x|, or null with too few values. */
export function columnScale(values: ArrayLike<number>, include?: (i: number) => boolean): number | null {
  const magnitudes = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (include && !include(i)) continue;
    const m = Math.abs(values[i]);
    if (m > 0 && Number.isFinite(m)) magnitudes[n++] = m;
  }
  if (n < MAGNITUDE_MIN_VALUES) return null;
  const sorted = magnitudes.subarray(0, n).sort();
  return sorted[(n - 1) >> 1];
}

/** Reports the values of `column` orders of magnitude above its scale (see the rule above). */
export function checkMagnitudes(column: MagnitudeColumn, log: IssueLog): void {
  const scale = column.against ? column.against.scale : columnScale(column.values, column.include);
  if (scale === null) return;
  const refused: number[] = [];
  const doubtful: number[] = [];
  for (let i = 0; i < column.values.length; i++) {
    if (column.include && !column.include(i)) continue;
    const m = Math.abs(column.values[i]);
    if (m > MAGNITUDE_ERROR_FACTOR * scale) refused.push(i);
    else if (m > MAGNITUDE_WARNING_FACTOR * scale) doubtful.push(i);
  }
  const describe = (found: number[], factor: string): string => {
    const first = found[0];
    const lines = found.slice(0, 5).map((i) => column.lines[i]);
    const values =
      found.length === 1 ? `${column.label} ${formatValue(column.values[first])}` : `${formatCount(found.length)} ${column.label} values`;
    const where =
      found.length === 1
        ? ''
        : ` (${formatValue(column.values[first])} on line ${column.lines[first]}; ${describeLines(lines, 5, found.length)})`;
    const typical = column.against ? `the typical size of ${column.against.label}` : "the column's typical size";
    return `${values} ${found.length === 1 ? 'is' : 'are'} more than ${factor} times ${typical} (median ${formatValue(scale)})${where}`;
  };
  if (refused.length > 0) {
    log.error(
      'implausible-value',
      { line: column.lines[refused[0]], column: column.column },
      describe(refused, 'a million'),
      'A value this far from the rest is a typing or unit error (a wrong exponent, units mixed up). Correct it, or write . if it is unknown.',
    );
  }
  if (doubtful.length > 0) {
    log.warn(
      'unusual-value',
      { line: column.lines[doubtful[0]], column: column.column },
      describe(doubtful, '10,000'),
      'The value is kept. Check it: a value this far from the rest of its column is often a typing or unit error.',
    );
  }
}

/**
 * TIME, AMT of doses, DV per observation type; the infusion rates and dosing intervals (II) of doses,
 * each against its own column; and the time spans doses cover — infusion durations and ADDL × II —
 * against TIME's scale (a span a million times a file's typical time is a typing error).
 */
export function checkEventMagnitudes(events: RawEvents, columns: ColumnMap, log: IssueLog): void {
  const time = columns.writtenName.TIME ?? 'TIME';
  checkMagnitudes({ label: 'TIME', column: time, values: events.time, lines: events.line }, log);
  const lines = events.line;
  let scaleOfTime: number | null | undefined;
  const timeScale = (): { scale: number | null; label: string } => {
    scaleOfTime = scaleOfTime === undefined ? columnScale(events.time) : scaleOfTime;
    return { scale: scaleOfTime, label: time };
  };
  const rateColumn = columns.dosingNames.RATE ?? columns.dosingNames.DUR;
  if (rateColumn !== undefined) {
    const infusion = (i: number): boolean => events.duration[i] > 0;
    checkMagnitudes({ label: 'infusion rate', column: rateColumn, values: events.rate, lines, include: infusion }, log);
    const duration = { label: 'infusion duration', column: rateColumn, values: events.duration, lines, include: infusion };
    checkMagnitudes({ ...duration, against: timeScale() }, log);
  }
  const ii = columns.dosingNames.II;
  if (ii !== undefined) {
    checkMagnitudes({ label: 'II', column: ii, values: events.ii, lines, include: (i) => events.ii[i] > 0 }, log);
    const spans = Float64Array.from(events.addl, (addl, i) => addl * events.ii[i]);
    const column = columns.dosingNames.ADDL ?? ii;
    checkMagnitudes({ label: 'ADDL × II', column, values: spans, lines, include: (i) => spans[i] > 0, against: timeScale() }, log);
  }
  if (columns.writtenName.AMT !== undefined) {
    checkMagnitudes({ label: 'AMT', column: columns.writtenName.AMT, values: events.amt, lines: events.line }, log);
  }
  const dv = columns.writtenName.DV ?? 'DV';
  const types = new Set<number>();
  events.evid.forEach((evid, i) => {
    if (evid === EVID_OBSERVATION && !Number.isNaN(events.dvid[i])) types.add(events.dvid[i]);
  });
  for (const dvid of [...types].sort((a, b) => a - b)) {
    const kind = dvid === DVID_PK ? 'PK, ' : dvid === DVID_PD ? 'PD, ' : '';
    checkMagnitudes(
      {
        label: types.size > 1 ? `${dv} (${kind}DVID ${dvid})` : dv,
        column: dv,
        values: events.dv,
        lines: events.line,
        include: (i) => events.evid[i] === EVID_OBSERVATION && events.dvid[i] === dvid,
      },
      log,
    );
  }
}

/** Three significant digits, exponent form for very large or small magnitudes. */
export function formatValue(x: number): string {
  const m = Math.abs(x);
  if (m !== 0 && (m >= 1e6 || m < 1e-3)) return x.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(3)));
}
