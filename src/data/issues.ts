import type { DataIssue, IssueSeverity } from './types';

export interface IssuePlace {
  line?: number;
  column?: string;
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
  if (place.line !== undefined) where.push(`line ${place.line}`);
  if (place.column !== undefined) where.push(`column ${place.column}`);
  return { severity, code, message: `${where.join(', ')}: ${what}`, hint, ...place };
}

/** Collects issues for one file, keeping at most `limit` errors (the rest are only counted). */
export class IssueLog {
  readonly errors: DataIssue[] = [];
  readonly warnings: DataIssue[] = [];
  omittedErrors = 0;

  constructor(
    readonly fileName: string,
    private readonly limit = 100,
  ) {}

  error(code: string, place: IssuePlace, what: string, hint: string): void {
    if (this.errors.length >= this.limit) {
      this.omittedErrors++;
      return;
    }
    this.errors.push(makeIssue('error', code, this.fileName, place, what, hint));
  }

  warn(code: string, place: IssuePlace, what: string, hint: string): void {
    this.warnings.push(makeIssue('warning', code, this.fileName, place, what, hint));
  }

  get hasErrors(): boolean {
    return this.errors.length > 0;
  }
}

/** Lists lines compactly for messages: "lines 3, 8, 12 and 40 more". */
export function describeLines(lines: readonly number[], shown = 5): string {
  const head = lines.slice(0, shown).join(', ');
  const rest = lines.length - shown;
  const noun = lines.length === 1 ? 'line' : 'lines';
  return rest > 0 ? `${noun} ${head} and ${rest} more` : `${noun} ${head}`;
}
