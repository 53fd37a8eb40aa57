/**
 * CSV text as RFC 4180 writes it: CRLF line ends, a field quoted when it holds a comma, a quote or
 * a line break, quotes inside doubled. Numbers at full precision; ±Infinity as Inf / -Inf (as R and
 * pandas read them), NaN and null as empty fields. Pure.
 */
export type CsvCell = string | number | boolean | null;

const NEEDS_QUOTES = /[",\r\n]/;

function field(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') {
    if (Number.isNaN(cell)) return '';
    return Number.isFinite(cell) ? String(cell) : cell > 0 ? 'Inf' : '-Inf';
  }
  const text = String(cell);
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
