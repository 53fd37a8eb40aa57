import { describe, expect, it } from 'vitest';
import { decodeFileBytes, decodeWindows1252, firstInvalidUtf8 } from './text-decoding';
import { encodeUtf16, encodeUtf8 } from '../testing/hostile-csv';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('decodeFileBytes', () => {
  it('reads UTF-8 strictly, keeping a byte-order mark for ingest to note', () => {
    expect(decodeFileBytes(encodeUtf8('ID,TIME\nZoë,1'))).toEqual({ ok: true, text: 'ID,TIME\nZoë,1', encoding: 'utf-8' });
    expect(decodeFileBytes(bytes(0xef, 0xbb, 0xbf, 0x41))).toEqual({ ok: true, text: '\uFEFFA', encoding: 'utf-8' });
  });

  it('reads bytes that are not UTF-8 as Windows-1252, naming the first such line', () => {
    const decoded = decodeFileBytes(bytes(0x41, 0x0a, 0x42, 0x0a, 0x4a, 0x6f, 0x73, 0xe9, 0x80));
    expect(decoded).toEqual({ ok: true, text: 'A\nB\nJosé€', encoding: 'windows-1252', firstNonUtf8Line: 3 });
    // A UTF-8 byte-order mark followed by bytes that are not UTF-8: the mark is dropped.
    expect(decodeFileBytes(bytes(0xef, 0xbb, 0xbf, 0xe9))).toMatchObject({ text: 'é', encoding: 'windows-1252', firstNonUtf8Line: 1 });
  });

  it('recognises UTF-16 by its byte-order mark, or by the zero bytes of ASCII text', () => {
    expect(decodeFileBytes(encodeUtf16('ID,TIME', 'le'))).toEqual({ ok: true, text: '\uFEFFID,TIME', encoding: 'utf-16le' });
    expect(decodeFileBytes(encodeUtf16('ID,TIME', 'be'))).toEqual({ ok: true, text: '\uFEFFID,TIME', encoding: 'utf-16be' });
    expect(decodeFileBytes(encodeUtf16('ID,TIME', 'be', false))).toEqual({ ok: true, text: 'ID,TIME', encoding: 'utf-16be' });
    // Two zero bytes in UTF-8 text do not make it UTF-16.
    expect(decodeFileBytes(bytes(0x41, 0x00, 0x42, 0x43, 0x00, 0x44))).toMatchObject({ encoding: 'utf-8' });
  });

  it('refuses UTF-32 and invalid UTF-16', () => {
    expect(decodeFileBytes(bytes(0xff, 0xfe, 0, 0, 0x41, 0, 0, 0))).toEqual({ ok: false, reason: 'utf-32', encoding: 'UTF-32' });
    expect(decodeFileBytes(bytes(0xfe, 0xff, 0xdc, 0x00))).toEqual({ ok: false, reason: 'invalid-utf-16', encoding: 'UTF-16 BE' });
  });
});

describe('decodeWindows1252', () => {
  it('reads 0x80–0x9F as browsers do (Node reads them as Latin-1 controls), and the rest as Latin-1', () => {
    expect(decodeWindows1252(bytes(0x80, 0x8a, 0x93, 0x94, 0x99, 0x9f, 0xa0, 0xe9, 0xff, 0x41))).toBe('€Š“”™Ÿ\u00a0éÿA');
    expect(decodeWindows1252(bytes(0x81, 0x8d, 0x8f, 0x90, 0x9d))).toBe('\u0081\u008d\u008f\u0090\u009d');
  });
});

describe('firstInvalidUtf8', () => {
  it.each([
    ['valid text', [0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80], -1],
    ['a lone continuation byte', [0x41, 0x80], 1],
    ['an overlong encoding', [0xc0, 0x80], 0],
    ['an overlong three-byte form', [0x41, 0xe0, 0x80, 0x80], 1],
    ['a surrogate', [0xed, 0xa0, 0x80], 0],
    ['a sequence cut short at the end', [0x41, 0x42, 0xe2, 0x82], 2],
    ['a code point beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a Latin-1 é', [0x4a, 0x6f, 0x73, 0xe9, 0x2c], 3],
  ])('finds %s', (_, input, expected) => {
    expect(firstInvalidUtf8(Uint8Array.from(input))).toBe(expected);
  });
});
