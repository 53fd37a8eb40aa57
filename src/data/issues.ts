import { formatCount } from '../text/format';
import type { DataIssue, IssueSeverity } from './types';

/** Moved to src/text/format.ts; still exported here for src/study/study-data.ts, which imports them from this module. */

export interface IssuePlace {
  line?: number;
  column?: string;
}

/** Longest piece of the file (a cell, a column name, an ID) quoted whole in a message. */
export const QUOTED_TEXT_LIMIT = 40;

/**
 * Issues of one kind (severity and code) listed one by one; the rest of that kind are folded into one
 * grouped issue that counts them and names their first lines.
 */
export const LISTED_PER_KIND: Readonly<Record<IssueSeverity, number>> = { error: 10, warning: 3 };
/** Issues listed in all (grouped ones count as one); errors beyond are counted in `omittedErrors`. */
export const MAX_LISTED_ERRORS = 100;
/** Warnings beyond this many are summed up in one last warning ('more-warnings'). */
export const MAX_LISTED_WARNINGS = 20;
/** Lines named in a grouped issue. */
const GROUPED_LINES_SHOWN = 10;
const GROUPED_COLUMNS_SHOWN = 5;

/** Text from the file as a message quotes it: whole when short, else its start and its length. */
export function shortText(text: string, limit = QUOTED_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  let end = limit - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // never cut a surrogate pair in two
  return `${text.slice(0, end)}… (${formatCount(text.length)} characters)`;
}

/** Builds an issue whose message names the file, and the line and column where they apply. */
export function makeIssue(
  severity: IssueSeverity,
  code: string,
  fileName: string,
  place: IssuePlace,
  what: string,
  hint: string,
): DataIssue {
  const where = [fileName];
  const column = place.column === undefined ? undefined : shortText(place.column);
  if (place.line !== undefined) where.push(`line ${place.line}`);
  if (column !== undefined) where.push(`column ${column}`);
  const issue: DataIssue = { severity, code, message: `${where.join(', ')}: ${what}`, hint };
  if (place.line !== undefined) issue.line = place.line;
  if (column !== undefined) issue.column = column;
  return issue;
}

/** Issues of one severity and code: the first few as they came, the rest only counted. */
interface IssueKind {
  severity: IssueSeverity;
  code: string;
  hint: string;
  listed: DataIssue[];
  folded: number;
  foldedLines: number[];
  foldedColumns: string[];
  moreColumns: boolean;
}

/**
 * Collects the issues of one file. Memory and the lists handed to the UI stay small however many
 * issues a file has: per kind the first `LISTED_PER_KIND` are kept whole and the rest folded into one
 * grouped issue; at most `MAX_LISTED_ERRORS` errors and `MAX_LISTED_WARNINGS` warnings are listed.
 */
export class IssueLog {
  private readonly kinds = new Map<string, IssueKind>();
  private errorCount = 0;

  constructor(
    readonly fileName: string,
    private readonly maxErrors = MAX_LISTED_ERRORS,
    private readonly maxWarnings = MAX_LISTED_WARNINGS,
  ) {}

  error(code: string, place: IssuePlace, what: string, hint: string): void {
    this.errorCount++;
    this.add('error', code, place, what, hint);
  }

  warn(code: string, place: IssuePlace, what: string, hint: string): void {
    this.add('warning', code, place, what, hint);
  }

  /** An error with technical detail kept for a bug report (not part of the message). */
  failure(code: string, what: string, hint: string, detail: string): void {
    this.error(code, {}, what, hint);
    const kind = this.kinds.get(`error:${code}`);
    const issue = kind?.listed[kind.listed.length - 1];
    if (issue) issue.detail = detail;
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  get errors(): DataIssue[] {
    return this.list('error').listed;
  }

  /** Errors not listed at all (beyond `MAX_LISTED_ERRORS`). */
  get omittedErrors(): number {
    return this.list('error').omitted;
  }

  get warnings(): DataIssue[] {
    const { listed, omitted } = this.list('warning');
    if (omitted === 0) return listed;
    const more = makeIssue(
      'warning',
      'more-warnings',
      this.fileName,
      {},
      `${formatCount(omitted)} more warning${omitted === 1 ? '' : 's'} not listed`,
      'Fix the warnings above and load the file again to see the rest.',
    );
    more.count = omitted;
    return [...listed, more];
  }

  private add(severity: IssueSeverity, code: string, place: IssuePlace, what: string, hint: string): void {
    const key = `${severity}:${code}`;
    let kind = this.kinds.get(key);
    if (kind === undefined) {
      kind = { severity, code, hint, listed: [], folded: 0, foldedLines: [], foldedColumns: [], moreColumns: false };
      this.kinds.set(key, kind);
    }
    if (kind.listed.length < LISTED_PER_KIND[severity]) {
      kind.listed.push(makeIssue(severity, code, this.fileName, place, what, hint));
      return;
    }
    kind.folded++;
    if (place.line !== undefined && kind.foldedLines.length < GROUPED_LINES_SHOWN) kind.foldedLines.push(place.line);
    if (place.column !== undefined && !kind.foldedColumns.includes(place.column)) {
      if (kind.foldedColumns.length < GROUPED_COLUMNS_SHOWN) kind.foldedColumns.push(place.column);
      else kind.moreColumns = true;
    }
  }

  private list(severity: IssueSeverity): { listed: DataIssue[]; omitted: number } {
    const limit = severity === 'error' ? this.maxErrors : this.maxWarnings;
    const listed: DataIssue[] = [];
    let omitted = 0;
    for (const kind of this.kinds.values()) {
      if (kind.severity !== severity) continue;
      for (const issue of kind.listed) {
        if (listed.length < limit) listed.push(issue);
        else omitted++;
      }
      if (kind.folded === 0) continue;
      if (listed.length < limit) listed.push(this.grouped(kind));
      else omitted += kind.folded;
    }
    return { listed, omitted };
  }

  private grouped(kind: IssueKind): DataIssue {
    const oneColumn = kind.foldedColumns.length === 1 && !kind.moreColumns;
    const where: string[] = [];
    if (kind.foldedLines.length > 0) where.push(describeLines(kind.foldedLines, GROUPED_LINES_SHOWN, kind.folded));
    if (kind.foldedColumns.length > 1 || kind.moreColumns) {
      where.push(`columns ${kind.foldedColumns.map((c) => shortText(c)).join(', ')}${kind.moreColumns ? ', …' : ''}`);
    }
    const shown = kind.listed.length;
    const issue = makeIssue(
      kind.severity,
      kind.code,
      this.fileName,
      { line: kind.foldedLines[0], column: oneColumn ? kind.foldedColumns[0] : undefined },
      `${formatCount(kind.folded)} more like the ${shown === 1 ? 'one' : `${shown}`} above${where.length ? ` (${where.join('; ')})` : ''}`,
      kind.hint,
    );
    issue.count = kind.folded;
    return issue;
  }
}

/** Lists lines compactly for messages: "lines 3, 8, 12 and 40 more"; `total` counts lines not in `lines`. */
export function describeLines(lines: readonly number[], shown = 5, total = lines.length): string {
  const head = lines.slice(0, shown).join(', ');
  const rest = total - Math.min(shown, lines.length);
  const noun = total === 1 ? 'line' : 'lines';
  return rest > 0 ? `${noun} ${head} and ${formatCount(rest)} more` : `${noun} ${head}`;
}
