/**
 * The fitted data in NONMEM layout, for the model exports: one CSV with the columns
 *   ID TIME AMT RATE EVID MDV CMT DV DVID [SS II] <covariates the effects use>
 * written from the study binding (src/study/study-data.ts) — the doses and observations the fit
 * used, in the data's units and analysis times:
 * - doses (ADDL already expanded) into compartment 1 (the depot for oral doses, the central
 *   compartment for IV ones), RATE = AMT / duration for infusions (0 otherwise), SS = 1 with II for a
 *   steady-state dose (columns written only when a dose has one);
 * - observations with DVID 1 (PK) or 2 (PD) and CMT the compartment they are read from (the central
 *   one for PK and a direct PD, the effect or response compartment otherwise); with `logScale`, an
 *   endpoint with exponential error has DV = ln(observation) (NONMEM's log-transform-both-sides);
 *   observations the fit left out (PK before the segment's first dose; DV ≤ 0 on the log scale,
 *   ../../pkpd/population/stage.ts) are kept with MDV = 1 and their DV as observed;
 * - a subject's reset (a new segment) as an EVID 3 record;
 * - covariates at each subject's baseline, on every record.
 * At a time with both, observations come before doses (the fit's predictions are the trough before
 * a dose given at that time). Subject IDs are kept when they are whole numbers, else numbered 1…n in
 * file order (NONMEM needs numbers).
 */
import { firstDosed } from '../../pkpd/population/stage';
import type { DoseEvent } from '../../pkpd/structural/doses';
import { type ExportedModel, numberText } from './exported-model';
import { compartmentNumber } from './model-equations';

export interface NonmemData {
  /** Column names, the $INPUT of a control stream. */
  columns: string[];
  text: string;
}

interface Row {
  segment: number;
  time: number;
  /** Reset 0, observations 1, doses 2: the order of records at one time. */
  order: number;
  cells: string[];
}

/** Writes the data; `logScale`: DV of a log-scale (exponential error) endpoint as ln(observation). */
export function nonmemData(m: ExportedModel, options: { logScale: boolean }): NonmemData {
  const subjects = m.study.subjects;
  const steadyState = subjects.some((s) => s.segments.some((g) => g.doses.some((d) => d.steadyState)));
  const columns = ['ID', 'TIME', 'AMT', 'RATE', 'EVID', 'MDV', 'CMT', 'DV', 'DVID', ...(steadyState ? ['SS', 'II'] : []), ...m.covariates];
  const numericIds = subjects.every((s) => /^\d+$/.test(s.id));
  const pkCmt = compartmentNumber(m, 'CENTRAL');
  const pd = m.model.pd;
  const pdCmt =
    pd?.family === 'effect-compartment'
      ? compartmentNumber(m, 'EFFECT')
      : pd?.family === 'indirect'
        ? compartmentNumber(m, 'RESPONSE')
        : pkCmt;
  const lines = [columns.join(',')];
  subjects.forEach((s, index) => {
    const id = numericIds ? s.id : String(index + 1);
    const tail = m.covariates.map((c) => numberText(s.covariates[c]));
    const ss = (dose?: DoseEvent): string[] =>
      steadyState ? (dose?.steadyState ? ['1', numberText(dose.steadyState.interval)] : ['0', '0']) : [];
    const rows: Row[] = [];
    s.segments.forEach((segment, k) => {
      if (k > 0) rows.push({ segment: k, time: segment.start, order: 0, cells: ['0', '0', '3', '1', '1', '.', '0', ...ss()] });
      for (const dose of segment.doses) {
        const rate = dose.route === 'infusion' ? numberText(dose.amount / (dose.duration as number)) : '0';
        rows.push({ segment: k, time: dose.time, order: 2, cells: [numberText(dose.amount), rate, '1', '1', '1', '.', '0', ...ss(dose)] });
      }
    });
    const observations = (endpoint: 'pk' | 'pd', cmt: number, dvid: number): void => {
      const o = s[endpoint];
      const logScale = m.residuals.some((r) => r.endpoint === endpoint && r.values.scale === 'log');
      o.times.forEach((time, j) => {
        const y = o.values[j];
        const used = (endpoint === 'pd' || firstDosed(s.segments[o.segment[j]].doses, time)) && (!logScale || y > 0);
        const dv = used && logScale && options.logScale ? Math.log(y) : y;
        const cells = ['0', '0', '0', used ? '0' : '1', String(cmt), numberText(dv), String(dvid), ...ss()];
        rows.push({ segment: o.segment[j], time, order: 1, cells });
      });
    };
    if (m.spec.endpoints.pk) observations('pk', pkCmt, 1);
    if (pd) observations('pd', pdCmt, 2);
    rows.sort((a, b) => a.segment - b.segment || a.time - b.time || a.order - b.order);
    for (const row of rows) lines.push([id, numberText(row.time), ...row.cells, ...tail].join(','));
  });
  return { columns, text: `${lines.join('\n')}\n` };
}
