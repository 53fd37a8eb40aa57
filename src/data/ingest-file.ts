import type { ProgressCallback } from './delimited-text';
import { failure, ingestText } from './ingest';
import { formatCount, IssueLog } from './issues';
import { decodeFileBytes } from './text-decoding';
import type { IngestResult } from './types';

/**
 * Largest file read. Checking a file holds every cell as a string at once: about 11 times the file's
 * size in memory (a 50 MB file peaked at 556 MB of heap in Node), so 200 MB needs over 2 GB, near
 * what a browser tab is given; a larger file would crash the tab or fail with a technical message.
 */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;

/** Reads a file (a Blob: a dropped or picked File) into a validated dataset, as the ingest worker does. */
export async function ingestFile(file: Blob, fileName: string, onProgress?: ProgressCallback): Promise<IngestResult> {
  const log = new IssueLog(fileName);
  if (file.size > MAX_FILE_BYTES) {
    log.error(
      'file-too-large',
      {},
      `the file is ${formatMegabytes(file.size)}; the largest file this app reads is ${formatMegabytes(MAX_FILE_BYTES)}`,
      'Split the file (by subject, for example) or remove columns the analysis does not need, and load the parts you need.',
    );
    return { ok: false, fileName, errors: log.errors, warnings: log.warnings, omittedErrors: log.omittedErrors };
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    return failure(log, error);
  }
  return ingestBytes(bytes, fileName, onProgress);
}

/** Decodes the bytes of a file (UTF-8, UTF-16 or Windows-1252, see `decodeFileBytes`) and reads them. */
export function ingestBytes(bytes: Uint8Array, fileName: string, onProgress?: ProgressCallback): IngestResult {
  const log = new IssueLog(fileName);
  let decoded: ReturnType<typeof decodeFileBytes>;
  try {
    decoded = decodeFileBytes(bytes);
  } catch (error) {
    return failure(log, error);
  }
  if (!decoded.ok) {
    log.error(
      'unsupported-encoding',
      {},
      decoded.reason === 'utf-32'
        ? 'the file is UTF-32 text, which this app does not read'
        : `the file starts as ${decoded.encoding} text but holds bytes that are not valid ${decoded.encoding}: it is damaged or not a text file`,
      'Save the file as CSV in UTF-8 (in Excel: "CSV UTF-8") and load that.',
    );
    return { ok: false, fileName, errors: log.errors, warnings: log.warnings, omittedErrors: log.omittedErrors };
  }
  return ingestText(decoded.text, fileName, onProgress, { encoding: decoded.encoding, firstNonUtf8Line: decoded.firstNonUtf8Line });
}

function formatMegabytes(bytes: number): string {
  return `${formatCount(Math.round(bytes / (1024 * 1024)))} MB`;
}
