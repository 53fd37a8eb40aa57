const BYTE_ORDER_MARK = '\uFEFF';
const SNIFF_LENGTH = 8192;

export function stripByteOrderMark(text: string): { text: string; hadByteOrderMark: boolean } {
  return text.startsWith(BYTE_ORDER_MARK) ? { text: text.slice(1), hadByteOrderMark: true } : { text, hadByteOrderMark: false };
}

/**
 * A text file has no NUL characters and few control characters. Spreadsheet and archive
 * formats (xlsx, zip, sas7bdat) fail this on their first bytes.
 */
export function looksBinary(text: string): boolean {
  const head = text.slice(0, SNIFF_LENGTH);
  if (head.length === 0) return false;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const code = head.charCodeAt(i);
    if (code === 0) return true;
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 0xfffd) control++;
  }
  return control / head.length > 0.05;
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
