import Papa from 'papaparse';
import type { Delimiter } from './text-sniff';

export interface DelimitedTable {
  header: string[];
  /** 1-based file line of the header (after any blank lines). */
  headerLine: number;
  /** Data rows as cells; `lines[i]` is the 1-based file line of `rows[i]`. */
  rows: string[][];
  lines: number[];
  /** Parser complaints: unbalanced quotes and the like. */
  problems: { line: number; message: string }[];
}

export type ProgressCallback = (fraction: number) => void;

const PROGRESS_EVERY_ROWS = 5000;

/** Splits delimited text into header and rows, skipping blank lines, reporting progress by position. */
export function parseDelimited(text: string, delimiter: Delimiter, onProgress?: ProgressCallback): DelimitedTable {
  const table: DelimitedTable = { header: [], headerLine: 1, rows: [], lines: [], problems: [] };
  let line = 1;
  let consumed = 0;
  let first = true;
  Papa.parse<string[]>(text, {
    delimiter,
    header: false,
    skipEmptyLines: false,
    step(result) {
      const cursor = result.meta.cursor;
      const rowLine = line;
      line += countLineBreaks(text, consumed, cursor);
      consumed = cursor;
      for (const error of result.errors) table.problems.push({ line: rowLine, message: error.message });
      const cells = result.data;
      if (cells.length === 1 && cells[0].trim() === '') return;
      if (first) {
        table.header = cells;
        table.headerLine = rowLine;
        first = false;
        return;
      }
      table.rows.push(cells);
      table.lines.push(rowLine);
      if (onProgress && table.rows.length % PROGRESS_EVERY_ROWS === 0) onProgress(cursor / text.length);
    },
  });
  onProgress?.(1);
  return table;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}
