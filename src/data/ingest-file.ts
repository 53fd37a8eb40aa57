import type { ProgressCallback } from './delimited-text';
import { failure, ingestText, type IngestTextOptions } from './ingest';
import { formatMegabytes } from '../text/format';
import { IssueLog } from './issues';
import { decodeFileBytes } from './text-decoding';
import type { IngestResult } from './types';

/**
 * Largest file read. Checking a file holds every cell as a string at once: about 11 times the file's
 * size in memory (a 50 MB file peaked at 556 MB of heap in Node), so 200 MB needs over 2 GB, near
 * what a browser tab is given; a larger file would crash the tab or fail with a technical message.
 */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;

/** A file's text and how it was decoded (the options `ingestText` reports the decoding with). */
export interface DecodedText {
  readonly text: string;
  readonly decoding: Pick<IngestTextOptions, 'encoding' | 'firstNonUtf8Line'>;
}

/** A file that is not read: its errors, as `ingestText` reports them. */
export type IngestRefusal = Extract<IngestResult, { ok: false }>;

/** Reads a file (a Blob: a dropped or picked File) into a validated dataset, as the ingest worker does. */
export async function ingestFile(file: Blob, fileName: string, onProgress?: ProgressCallback): Promise<IngestResult> {
  const tooLarge = fileSizeRefusal(file.size, fileName);
  if (tooLarge) return tooLarge;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    return failure(new IssueLog(fileName), error);
  }
  return ingestBytes(bytes, fileName, onProgress);
}

/** Decodes the bytes of a file (UTF-8, UTF-16 or Windows-1252, see `decodeFileBytes`) and reads them. */
export function ingestBytes(bytes: Uint8Array, fileName: string, onProgress?: ProgressCallback): IngestResult {
  const decoded = decodeFile(bytes, fileName);
  if ('errors' in decoded) return decoded;
  return ingestText(decoded.text, fileName, onProgress, decoded.decoding);
}

/**
 * The refusal of a file of `size` bytes, larger than MAX_FILE_BYTES, checked before its bytes are
 * read (the app, the ingest worker and the headless runner alike); null when the size is fine.
 */
export function fileSizeRefusal(size: number, fileName: string): IngestRefusal | null {
  if (size <= MAX_FILE_BYTES) return null;
  const log = new IssueLog(fileName);
  log.error(
    'file-too-large',
    {},
    `the file is ${formatMegabytes(size)}; the largest file this app reads is ${formatMegabytes(MAX_FILE_BYTES)}`,
    'Split the file (by subject, for example) or remove columns the analysis does not need, and load the parts you need.',
  );
  return refusal(log, fileName);
}

/**
 * The text of a file's bytes and how it was decoded, for `ingestText`; or the refusal of a file in
 * an encoding the app does not read (UTF-32, damaged UTF-16), in words.
 */
export function decodeFile(bytes: Uint8Array, fileName: string): DecodedText | IngestRefusal {
  const log = new IssueLog(fileName);
  let decoded: ReturnType<typeof decodeFileBytes>;
  try {
    decoded = decodeFileBytes(bytes);
  } catch (error) {
    return failure(log, error) as IngestRefusal;
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
    return refusal(log, fileName);
  }
  return { text: decoded.text, decoding: { encoding: decoded.encoding, firstNonUtf8Line: decoded.firstNonUtf8Line } };
}

function refusal(log: IssueLog, fileName: string): IngestRefusal {
  return { ok: false, fileName, errors: log.errors, warnings: log.warnings, omittedErrors: log.omittedErrors };
}
