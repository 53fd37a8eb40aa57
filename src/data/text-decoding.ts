/**
 * Turns the bytes of a file into text, saying which encoding was read. Browsers' `file.text()`
 * reads everything as UTF-8 and silently replaces what is not UTF-8 with U+FFFD, so a Latin-1 file
 * came out with garbled IDs and headers and no word; this reads:
 * - UTF-8 (with or without byte-order mark) — the default, checked strictly;
 * - UTF-16 LE/BE with a byte-order mark (Excel's "Unicode text"), and without one when the zero
 *   bytes of ASCII text in UTF-16 show it;
 * - anything else that is not valid UTF-8 as Windows-1252, with a warning. Windows-1252 is what
 *   spreadsheets on Western European systems write as "CSV"; every byte has a meaning in it, and the
 *   numbers, delimiters and column names a NONMEM file needs are ASCII, identical in both, so only
 *   accented letters in IDs or text columns can come out wrong (a file in another legacy encoding,
 *   e.g. Cyrillic). Reading with a warning that names the first non-UTF-8 line serves the user better
 *   than refusing a file whose data are intact; the warning says how to save the file as UTF-8.
 * UTF-32 and UTF-16 that is not valid UTF-16 are refused.
 * Pure: no DOM, runs in Node and in workers.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export type DecodedFile =
  | {
      ok: true;
      /** The text, with a byte-order mark kept as U+FEFF at its start when the file had one. */
      text: string;
      encoding: TextEncodingName;
      /** For Windows-1252: the 1-based line of the first byte that is not UTF-8. */
      firstNonUtf8Line?: number;
    }
  | { ok: false; reason: 'utf-32' | 'invalid-utf-16'; encoding: string };

/** Bytes looked at to recognise UTF-16 without a byte-order mark. */
const UTF16_SNIFF_BYTES = 4096;

export function decodeFileBytes(bytes: Uint8Array): DecodedFile {
  if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00]) || startsWith(bytes, [0x00, 0x00, 0xfe, 0xff])) {
    return { ok: false, reason: 'utf-32', encoding: 'UTF-32' };
  }
  const utf16 = startsWith(bytes, [0xff, 0xfe]) ? 'utf-16le' : startsWith(bytes, [0xfe, 0xff]) ? 'utf-16be' : sniffUtf16(bytes);
  if (utf16 !== null) {
    try {
      return { ok: true, text: new TextDecoder(utf16, { fatal: true, ignoreBOM: true }).decode(bytes), encoding: utf16 };
    } catch {
      return { ok: false, reason: 'invalid-utf-16', encoding: utf16 === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE' };
    }
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    const invalidAt = firstInvalidUtf8(bytes);
    const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
    return { ok: true, text: decodeWindows1252(body), encoding: 'windows-1252', firstNonUtf8Line: lineOf(bytes, invalidAt) };
  }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/**
 * UTF-16 text of mostly ASCII characters (all a CSV needs) has a zero byte in every other position:
 * the odd ones for little-endian, the even ones for big-endian. Requires at least 90 % of those and
 * no zero byte in the other positions.
 */
function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, UTF16_SNIFF_BYTES) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= 0.9 * pairs && evenZeros === 0) return 'utf-16le';
  if (evenZeros >= 0.9 * pairs && oddZeros === 0) return 'utf-16be';
  return null;
}

/** Characters of bytes 0x80–0x9F in Windows-1252 (WHATWG Encoding); the five unassigned map to C1 controls. */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Windows-1252 as browsers read it. Node's TextDecoder('windows-1252') reads bytes 0x80–0x9F as
 * Latin-1 control characters instead (0x80 is U+0080, not €), so the table is applied here, the same
 * in Node and every browser; the UTF-16 decoder then makes the string without a per-character call.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const units = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    units[i] = b >= 0x80 && b < 0xa0 ? WINDOWS_1252_HIGH[b - 0x80] : b;
  }
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  return new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be', { ignoreBOM: true }).decode(units);
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function lineOf(bytes: Uint8Array, offset: number): number | undefined {
  if (offset < 0) return undefined;
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
