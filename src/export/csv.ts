/**
 * CSV text as RFC 4180 writes it: CRLF line ends, a field quoted when it holds a comma, a quote or
 * a line break, quotes inside doubled. Numbers at full precision; ±Infinity as Inf / -Inf (as R and
 * pandas read them), NaN and null as empty fields. Text that a spreadsheet would run as a formula
 * (names and IDs come from users' files) is defused as OWASP advises. Pure.
 */
export type CsvCell = string | number | boolean | null;

const NEEDS_QUOTES = /[",\r\n]/;
/** First characters with which spreadsheet programs read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Text that is just a decimal number ("-0.5", "+3", "1e-3"): read as that number, never as a formula. */
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Text as a spreadsheet will show it: a would-be formula gets a leading single quote (OWASP's CSV injection defence). */
function defused(text: string): string {
  return FORMULA_START.test(text) && !NUMBER_TEXT.test(text) ? `'${text}` : text;
}

function field(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') {
    if (Number.isNaN(cell)) return '';
    return Number.isFinite(cell) ? String(cell) : cell > 0 ? 'Inf' : '-Inf';
  }
  const text = defused(String(cell));
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvText(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(field).join(',') + '\r\n').join('');
}

/** A CSV file to offer for download: its name and (computed on demand) its text. */
export interface CsvExport {
  readonly fileName: string;
  /** Words for the button's accessible name, e.g. "the predictions". */
  readonly label: string;
  text(): string;
}
