/**
 * The data file of a headless command. The runner (`scripts/headless-data-file.ts`) reads the file's
 * bytes and decodes them as the app decodes a dropped file (`decodeFile`: UTF-8, UTF-16, Windows-1252
 * with a warning; the app's size limit), and passes the text with how it was decoded; the page reads
 * it with `ingestText`, which reports the decoding among the file's warnings.
 */
import type { DecodedText, IngestRefusal } from '../data/ingest-file';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { formatCount } from '../text/format';

export interface DataFileArgs {
  csvText: string;
  fileName: string;
  /** How the runner decoded the file's bytes; absent for text given as it is (a browser test's). */
  decoding?: DecodedText['decoding'];
}

/** Errors of a refused file listed in a message. */
const ERRORS_LISTED = 10;

/** "F was not accepted:" and the file's first errors, each with what to do: the text a command fails with. */
export function refusalText(refusal: IngestRefusal): string {
  const lines = refusal.errors.slice(0, ERRORS_LISTED).map((e) => `${e.message}. ${e.hint}`);
  const more = refusal.errors.length - lines.length + refusal.omittedErrors;
  return `${refusal.fileName} was not accepted:\n${lines.join('\n')}${more > 0 ? `\n…and ${formatCount(more)} more errors` : ''}`;
}

/**
 * The validated dataset of a command's file; its warnings go to the console (the runner prints
 * them on stderr). Throws an Error with `refusalText` when the file is not accepted.
 */
export function datasetOf(args: DataFileArgs): Dataset {
  const ingested = ingestText(args.csvText, args.fileName, undefined, args.decoding);
  if (!ingested.ok) throw new Error(refusalText(ingested));
  for (const w of ingested.warnings) console.warn(`${w.message}. ${w.hint}`);
  return ingested.dataset;
}
