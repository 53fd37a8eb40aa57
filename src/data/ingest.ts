import { createCellReader } from './cells';
import { mapColumns } from './columns';
import { readCovariates } from './covariates';
import { parseDelimited, type ProgressCallback } from './delimited-text';
import { emptyEventRecords } from './event-records';
import { readEventRows, type RawEvents } from './event-rows';
import { IssueLog } from './issues';
import { resolveObservationTypes } from './observation-types';
import { checkSubjectRecords } from './record-rules';
import { groupBySubject, type SubjectGroups } from './subject-groups';
import { summariseSubjects } from './subjects';
import { detectDelimiter, looksBinary, stripByteOrderMark } from './text-sniff';
import type { Dataset, EventRecords, IngestResult } from './types';
import { DVID_PD, DVID_PK, EVID_OBSERVATION } from './types';

/**
 * Reads a NONMEM-style delimited text file into a validated Dataset. Any error rejects the whole
 * file (nothing partial comes out); warnings accompany an accepted dataset.
 */
export function ingestText(rawText: string, fileName: string, onProgress?: ProgressCallback): IngestResult {
  const log = new IssueLog(fileName);
  const fail = (): IngestResult => ({
    ok: false,
    fileName,
    errors: log.errors,
    warnings: log.warnings,
    omittedErrors: log.omittedErrors,
  });
  const { text, hadByteOrderMark } = stripByteOrderMark(rawText);
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
  const delimiter = detectDelimiter(text);
  const table = parseDelimited(text, delimiter, (f) => onProgress?.(0.8 * f));
  for (const problem of table.problems.slice(0, 20)) {
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
