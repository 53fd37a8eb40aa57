import { createCellReader } from './cells';
import { mapColumns } from './columns';
import { readCovariates } from './covariates';
import { parseDelimited, type DelimitedTable, type ProgressCallback } from './delimited-text';
import { emptyEventRecords } from './event-records';
import { readEventRows, type RawEvents } from './event-rows';
import { IssueLog, shortText } from './issues';
import { checkEventMagnitudes } from './magnitudes';
import { resolveObservationTypes } from './observation-types';
import { checkSubjectRecords } from './record-rules';
import { groupBySubject, type SubjectGroups } from './subject-groups';
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
import { DVID_PD, DVID_PK, EVID_OBSERVATION } from './types';

/** How the text was decoded from the file's bytes (see `decodeFileBytes`), when it was. */
export interface IngestTextOptions {
  encoding?: TextEncodingName;
  /** For Windows-1252: the first line with a byte that is not UTF-8. */
  firstNonUtf8Line?: number;
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
  const events = readEventRows(table, columns, reader, log);
  if (log.hasErrors) return fail();
  resolveObservationTypes(events, columns, log);
  checkEventMagnitudes(events, columns, log);
  const groups = groupBySubject(events, log);
  checkSubjectRecords(events, groups, table, log);
  const covariates = readCovariates(table, columns, events, groups, reader, log);
  if (log.hasErrors) return fail();
  onProgress?.(0.9);

  const records = toColumns(events, groups);
  const subjects = summariseSubjects(groups.ids, groups.starts, records, covariates);
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
    observationTypes: [DVID_PK, DVID_PD].filter((d) => observed.has(d)),
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

function toColumns(events: RawEvents, groups: SubjectGroups): EventRecords {
  const records = emptyEventRecords(groups.order.length);
  groups.ids.forEach((_, s) => records.subject.fill(s, groups.starts[s], groups.starts[s + 1]));
  groups.order.forEach((i, k) => {
    records.time[k] = events.time[i];
    records.dv[k] = events.dv[i];
    records.evid[k] = events.evid[i];
    records.mdv[k] = events.mdv[i];
    records.amt[k] = events.amt[i];
    records.cmt[k] = events.cmt[i];
    records.dvid[k] = Number.isNaN(events.dvid[i]) ? 0 : events.dvid[i];
    records.sourceLine[k] = events.line[i];
  });
  return records;
}
