import { layoutRecords, layoutWithoutAdditionalDoses, type RecordLayout } from './additional-doses';
import { createCellReader } from './cells';
import { mapColumns } from './columns';
import { readCovariates } from './covariates';
import { parseDelimited, type DelimitedTable, type ProgressCallback } from './delimited-text';
import { emptyEventRecords } from './event-records';
import { readEventRows, type EventRowLimits, type RawEvents } from './event-rows';
import { IssueLog, shortText } from './issues';
import { checkEventMagnitudes } from './magnitudes';
import { placeOccasions, type Timeline } from './occasions';
import { resolveObservationTypes } from './observation-types';
import { checkSubjectRecords } from './record-rules';
import { groupBySubject } from './subject-groups';
import { summariseSubjects } from './subjects';
import type { TextEncodingName } from './text-decoding';
import {
  describeControlCharacter,
  detectDelimiter,
  hasControlCharacter,
  looksBinary,
  stripByteOrderMark,
  stripEndOfFileMarker,
} from './text-sniff';
import type { Dataset, EventRecords, IngestResult } from './types';
import { EVID_OBSERVATION, SS_NONE } from './types';

/** How the text was decoded from the file's bytes (see `decodeFileBytes`), when it was. */
export interface IngestTextOptions {
  encoding?: TextEncodingName;
  /** For Windows-1252: the first line with a byte that is not UTF-8. */
  firstNonUtf8Line?: number;
  /** Limits of a file, for tests (the defaults are the app's). */
  limits?: EventRowLimits;
}

/**
 * Reads a NONMEM-style delimited text file into a validated Dataset. Any error rejects the whole
 * file (nothing partial comes out); warnings accompany an accepted dataset. Never throws: a failure
 * nobody foresaw comes back as an error in words, its technical text in the issue's `detail`.
 */
export function ingestText(
  rawText: string,
  fileName: string,
  onProgress?: ProgressCallback,
  options: IngestTextOptions = {},
): IngestResult {
  const log = new IssueLog(fileName);
  try {
    return readText(rawText, fileName, log, onProgress, options);
  } catch (error) {
    return failure(log, error);
  }
}

/** The result for a file that could not be read at all, from an unexpected exception. */
export function failure(log: IssueLog, error: unknown): IngestResult {
  const outOfMemory = error instanceof RangeError;
  log.failure(
    'unreadable-file',
    outOfMemory
      ? 'the file is too large or too unusual for this browser tab to read (it ran out of memory or of nesting depth)'
      : 'the file could not be read because of a fault in this app',
    outOfMemory
      ? 'Try a smaller file (split it by subject), or close other tabs and try again. Nothing was stored.'
      : 'Nothing was stored. Please report this problem with the technical details below; a file re-saved as CSV (UTF-8) may load.',
    error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  );
  return rejection(log);
}

function rejection(log: IssueLog): IngestResult {
  return { ok: false, fileName: log.fileName, errors: log.errors, warnings: log.warnings, omittedErrors: log.omittedErrors };
}

function readText(
  rawText: string,
  fileName: string,
  log: IssueLog,
  onProgress: ProgressCallback | undefined,
  options: IngestTextOptions,
): IngestResult {
  const fail = (): IngestResult => rejection(log);
  const { text: withoutMark, hadByteOrderMark } = stripByteOrderMark(rawText);
  const text = stripEndOfFileMarker(withoutMark);
  if (text.trim() === '') {
    log.error('empty-file', {}, 'the file is empty', 'Choose a CSV file with a header line and data rows.');
    return fail();
  }
  if (looksBinary(text)) {
    log.error(
      'binary-file',
      {},
      'this is not a text file (it looks like a spreadsheet, archive or other binary format)',
      'Export the data as CSV (comma, semicolon or tab separated) and load that file.',
    );
    return fail();
  }
  if (options.encoding === 'windows-1252') {
    log.warn(
      'not-utf8',
      { line: options.firstNonUtf8Line },
      'the file is not UTF-8 text, so it was read as Windows-1252 (Western European)',
      'Numbers are unaffected. Check that IDs and column names with accents or other special letters look right; to be sure, save the file as "CSV UTF-8" and load that.',
    );
  }
  const delimiter = detectDelimiter(text);
  const table = parseDelimited(text, delimiter, (f) => onProgress?.(0.8 * f));
  if (hasControlCharacter(text)) {
    reportControlCharacters(table, log);
    return fail();
  }
  for (const problem of table.problems) {
    log.error('malformed-line', { line: problem.line }, problem.message, 'Check quotes and delimiters on this line.');
  }
  const columns = mapColumns(table.header, log);
  if (log.hasErrors) return fail();
  if (table.rows.length === 0) {
    log.error('no-data-rows', { line: 2 }, 'the file has a header but no data rows', 'Add the data rows below the header.');
    return fail();
  }
  const reader = createCellReader(delimiter !== ',');
  const events = readEventRows(table, columns, reader, log, options.limits);
  if (log.hasErrors) return fail();
  resolveObservationTypes(events, columns, log);
  checkEventMagnitudes(events, columns, log);
  const groups = groupBySubject(events, log);
  const timeline = placeOccasions(events, groups, table, columns, log);
  checkSubjectRecords(events, groups, table, timeline, log);
  // Additional doses are only laid out (and allocated) for a file that is still accepted.
  const layout = log.hasErrors ? layoutWithoutAdditionalDoses(groups) : layoutRecords(events, groups, timeline);
  const rows = Int32Array.from(layout.source, (i) => events.row[i]);
  const covariates = readCovariates(table, columns, { rows, ids: groups.ids, starts: layout.starts }, reader, log);
  if (log.hasErrors) return fail();
  onProgress?.(0.9);

  const records = toColumns(events, timeline, layout);
  const subjects = summariseSubjects(groups.ids, layout.starts, records, covariates);
  const observed = new Set<number>();
  records.evid.forEach((evid, k) => {
    if (evid === EVID_OBSERVATION && records.mdv[k] === 0) observed.add(records.dvid[k]);
  });
  const dataset: Dataset = {
    fileName,
    rowCount: table.rows.length,
    format: {
      delimiter,
      hadByteOrderMark,
      inferredEvents: columns.standard.EVID === undefined,
      decimalComma: reader.sawDecimalComma,
      columns: table.header.map((h) => h.trim()),
    },
    records,
    covariates,
    subjects,
    observationTypes: [...observed].sort((a, b) => a - b),
  };
  onProgress?.(1);
  return { ok: true, dataset, warnings: log.warnings };
}

/** Each field holding a control character (a NUL byte, …), by line and column: the file is damaged or binary. */
function reportControlCharacters(table: DelimitedTable, log: IssueLog): void {
  const columnName = (k: number): string => {
    const name = (table.header[k] ?? '').trim();
    return name === '' || hasControlCharacter(name) ? `field ${k + 1}` : shortText(name);
  };
  const report = (cells: readonly string[], line: number, header: boolean): void => {
    cells.forEach((cell, k) => {
      const what = describeControlCharacter(cell);
      if (what === null) return;
      log.error(
        'damaged-file',
        { line, column: header ? `field ${k + 1}` : columnName(k) },
        `${what} is in this ${header ? 'header field' : 'value'}, which a text file never holds: the file is damaged, or it is not a CSV text file`,
        'Open the original data in the program that made it and export it again as CSV (UTF-8); do not load a copy that was cut or converted.',
      );
    });
  };
  report(table.header, table.headerLine, true);
  table.rows.forEach((cells, row) => report(cells, table.lines[row], false));
  if (!log.hasErrors) {
    log.error(
      'damaged-file',
      {},
      'the file holds control characters that a text file never holds',
      'Export the data again as CSV (UTF-8).',
    );
  }
}

function toColumns(events: RawEvents, timeline: Timeline, layout: RecordLayout): EventRecords {
  const { source, step, starts } = layout;
  const records = emptyEventRecords(source.length);
  for (let s = 0; s + 1 < starts.length; s++) records.subject.fill(s, starts[s], starts[s + 1]);
  for (let k = 0; k < source.length; k++) {
    const i = source[k];
    const j = step[k];
    const shift = j * events.ii[i];
    records.time[k] = timeline.time[i] + shift;
    records.sourceTime[k] = events.time[i] + shift;
    records.occasion[k] = timeline.occasion[i];
    records.dv[k] = events.dv[i];
    records.evid[k] = events.evid[i];
    records.mdv[k] = events.mdv[i];
    records.amt[k] = events.amt[i];
    records.cmt[k] = events.cmt[i];
    records.dvid[k] = Number.isNaN(events.dvid[i]) ? 0 : events.dvid[i];
    records.rate[k] = events.rate[i];
    records.duration[k] = events.duration[i];
    // Only the dose as written is at steady state, and only it resets: its additional doses are plain doses.
    const ss = j === 0 ? events.ss[i] : SS_NONE;
    records.ss[k] = ss;
    records.ii[k] = ss !== SS_NONE ? events.ii[i] : 0;
    records.reset[k] = j === 0 ? events.reset[i] : 0;
    records.sourceLine[k] = events.line[i];
    records.blq[k] = events.blq[i];
    records.lloq[k] = events.lloq[i];
  }
  return records;
}
