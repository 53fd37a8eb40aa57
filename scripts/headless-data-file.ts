/**
 * The data file of a headless command, read as the app reads a dropped file: refused by its size
 * before it is read (the app's limit and message), then its bytes decoded by the app's decoder
 * (`decodeFile`: UTF-8, UTF-16, Windows-1252 with a warning; UTF-32 refused). The page command gets
 * the text and how it was decoded (`DataFileArgs`).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeFile, fileSizeRefusal } from '../src/data/ingest-file';
import { type DataFileArgs, refusalText } from '../src/headless/data-file';

/** A data file that cannot be read or is refused; its message says why and what to do. */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
}

export function readDataFile(path: string): DataFileArgs {
  const fileName = basename(path);
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new DataFileError(`${path} is not a file: give the path of a CSV file.`);
    size = stats.size;
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    throw new DataFileError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  const tooLarge = fileSizeRefusal(size, fileName);
  if (tooLarge) throw new DataFileError(refusalText(tooLarge));
  const decoded = decodeFile(readFileSync(path), fileName);
  if ('errors' in decoded) throw new DataFileError(refusalText(decoded));
  return { csvText: decoded.text, fileName, decoding: decoded.decoding };
}
