const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA_PATTERN = /^[+-]?\d*,\d+([eE][+-]?\d+)?$/;
const MISSING_MARKERS = new Set(['', '.', 'na', 'nan', 'n/a']);

export interface CellReader {
  /** NaN for a missing value, null for text that is not a number. */
  read(cell: string | undefined): number | null;
  /** True once a decimal comma has been read. */
  sawDecimalComma: boolean;
}

/**
 * Reads numeric cells. `.`, empty, NA and NaN mean missing. A decimal comma is accepted when the
 * file's delimiter is not a comma (semicolon files from European spreadsheets use it).
 */
export function createCellReader(allowDecimalComma: boolean): CellReader {
  const reader: CellReader = {
    sawDecimalComma: false,
    read(cell) {
      const text = (cell ?? '').trim();
      if (NUMBER_PATTERN.test(text)) return Number(text);
      if (MISSING_MARKERS.has(text.toLowerCase())) return Number.NaN;
      if (allowDecimalComma && DECIMAL_COMMA_PATTERN.test(text)) {
        reader.sawDecimalComma = true;
        return Number(text.replace(',', '.'));
      }
      return null;
    },
  };
  return reader;
}
