const BYTE_ORDER_MARK = '\uFEFF';
const SNIFF_LENGTH = 8192;

export function stripByteOrderMark(text: string): { text: string; hadByteOrderMark: boolean } {
  return text.startsWith(BYTE_ORDER_MARK) ? { text: text.slice(1), hadByteOrderMark: true } : { text, hadByteOrderMark: false };
}

/**
 * A text file has few control characters. Spreadsheet and archive formats (xlsx, zip, sas7bdat)
 * and random bytes fail this on their first bytes: more than 5 % of their first 8 KB are control
 * characters (NUL and the like; the characters of undecodable bytes). A text file with a few stray
 * control characters passes here, and ingest reports each with its line and column.
 */
export function looksBinary(text: string): boolean {
  const head = text.slice(0, SNIFF_LENGTH);
  if (head.length === 0) return false;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    if (isControl(head.charCodeAt(i))) control++;
  }
  return control / head.length > 0.05;
}

/** Control characters other than tab, line feed and carriage return: no CSV file holds them. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/** For `looksBinary`, undecodable bytes (U+FFFD) and bytes unassigned in Windows-1252 count as control characters too. */
function isControl(code: number): boolean {
  return (
    (code < 32 && code !== 9 && code !== 10 && code !== 13) ||
    code === 0xfffd ||
    code === 0x81 ||
    code === 0x8d ||
    code === 0x8f ||
    code === 0x90 ||
    code === 0x9d
  );
}

/** Whether `text` holds a control character (NUL, …) that a text file never has. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/** How a message names a control character: "a NUL byte", "the control character U+0007". */
export function describeControlCharacter(cell: string): string | null {
  const match = CONTROL_CHARACTER.exec(cell);
  if (match === null) return null;
  const code = match[0].charCodeAt(0);
  if (code === 0) return 'a NUL byte';
  return `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Old DOS tools end a text file with Ctrl-Z (U+001A): harmless, dropped. */
export function stripEndOfFileMarker(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x1a) end--;
  return end === text.length ? text : text.slice(0, end);
}

export type Delimiter = ',' | ';' | '\t';

/** Picks the delimiter that splits the header line into the most fields (ties favour comma). */
export function detectDelimiter(text: string): Delimiter {
  const end = text.search(/\r?\n/);
  const header = end === -1 ? text : text.slice(0, end);
  const candidates: Delimiter[] = [',', ';', '\t'];
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const delimiter of candidates) {
    const count = header.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}
