import { shortText } from './issues';

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA_PATTERN = /^[+-]?\d*,\d+([eE][+-]?\d+)?$/;
const MISSING_MARKERS = new Set(['', '.', 'na', 'nan', 'n/a']);

export interface CellReader {
  /** A finite number; NaN for a missing value; null for a cell that is not a usable number (see `cellProblem`). */
  read(cell: string | undefined): number | null;
  /** True once a decimal comma has been read. */
  sawDecimalComma: boolean;
}

/**
 * Reads numeric cells. `.`, empty, NA and NaN mean missing. A decimal comma is accepted when the
 * file's delimiter is not a comma (semicolon files from European spreadsheets use it). Every number
 * read is finite: a value beyond ±1.8e308 (e.g. 1e309, which JavaScript reads as Infinity) is refused
 * like text, and `cellProblem` says why.
 */
export function createCellReader(allowDecimalComma: boolean): CellReader {
  const reader: CellReader = {
    sawDecimalComma: false,
    read(cell) {
      const text = (cell ?? '').trim();
      if (NUMBER_PATTERN.test(text)) return finiteOrNull(Number(text));
      if (MISSING_MARKERS.has(text.toLowerCase())) return Number.NaN;
      if (allowDecimalComma && DECIMAL_COMMA_PATTERN.test(text)) {
        reader.sawDecimalComma = true;
        return finiteOrNull(Number(text.replace(',', '.')));
      }
      return null;
    },
  };
  return reader;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Why a cell that `read` refused is not a usable number: text, or a number too large to represent. */
export type CellFault = 'text' | 'out-of-range';

export function cellFault(cell: string | undefined): CellFault {
  const text = (cell ?? '').trim();
  return NUMBER_PATTERN.test(text) || DECIMAL_COMMA_PATTERN.test(text) ? 'out-of-range' : 'text';
}

/** The message for a cell `read` refused, in the column `column` (its name as the user knows it). */
export function cellProblem(cell: string | undefined, column: string): { code: string; what: string; hint: string } {
  const text = (cell ?? '').trim();
  if (cellFault(text) === 'out-of-range') {
    return {
      code: 'number-out-of-range',
      what: `${shortText(text)} is too large to be a number (beyond ±1.8e308, it would be read as infinity)`,
      hint: `Correct this ${column} value (check its exponent and units), or write . if it is unknown.`,
    };
  }
  return {
    code: 'non-numeric',
    what: `"${shortText(text)}" is not a number`,
    hint: `Write ${column} as a number; use . or leave it empty for a missing value.`,
  };
}
