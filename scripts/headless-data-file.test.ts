import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ingestBytes, ingestFile, MAX_FILE_BYTES } from '../src/data/ingest-file';
import { datasetOf } from '../src/headless/data-file';
import { encodeUtf16, encodeUtf32, encodeUtf8, encodeWindows1252, LATIN1_IDS, latin1Text } from '../src/testing/hostile-csv';
import { DataFileError, readDataFile } from './headless-data-file';

const folder = mkdtempSync(join(tmpdir(), 'qpkpd-headless-file-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function fileOf(name: string, bytes: Uint8Array): string {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
}

function refusal(path: string): string {
  try {
    readDataFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return (error as Error).message;
  }
  throw new Error(`${path} was read`);
}

describe("the headless runner reads a data file as the app does (the app's decoder and size limit)", () => {
  it.each([
    ['Windows-1252', encodeWindows1252(latin1Text())],
    ['UTF-8', encodeUtf8(latin1Text())],
    ['UTF-16 LE with a byte-order mark', encodeUtf16(latin1Text(), 'le')],
    ['UTF-16 BE without one', encodeUtf16(latin1Text(), 'be', false)],
  ])('%s: the page reads the same dataset, with the same warnings, as the app reads the dropped file', (_, bytes) => {
    const args = readDataFile(fileOf('accents.csv', bytes));
    expect(args.fileName).toBe('accents.csv');
    const app = ingestBytes(bytes, 'accents.csv');
    if (!app.ok) throw new Error('the fixture must be accepted');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const dataset = datasetOf(args);
    expect(dataset.subjects.map((s) => s.id)).toEqual([...LATIN1_IDS]);
    expect(dataset).toEqual(app.dataset);
    // The page prints the file's warnings (the runner shows them on stderr): Windows-1252 says so.
    expect(warn.mock.calls.map(([text]) => text as string)).toEqual(app.warnings.map((w) => `${w.message}. ${w.hint}`));
    warn.mockRestore();
  });

  it('says so when it reads Windows-1252', () => {
    const args = readDataFile(fileOf('latin1.csv', encodeWindows1252(latin1Text())));
    expect(args.decoding).toEqual({ encoding: 'windows-1252', firstNonUtf8Line: 1 });
    expect(args.csvText).toContain('José');
    expect(args.csvText).not.toContain('\uFFFD');
  });

  it('refuses UTF-32 with the message of the app', () => {
    const bytes = encodeUtf32(latin1Text());
    const app = ingestBytes(bytes, 'u32.csv');
    if (app.ok) throw new Error('UTF-32 must be refused');
    expect(refusal(fileOf('u32.csv', bytes))).toBe(`u32.csv was not accepted:\n${app.errors[0].message}. ${app.errors[0].hint}`);
  });

  it('refuses a file over the size limit with the message of the app, before reading it', async () => {
    const path = join(folder, 'giant.csv');
    writeFileSync(path, '');
    truncateSync(path, MAX_FILE_BYTES + 10 * 1024 * 1024); // sparse: no disk space is used, and a read would take 210 MB
    const app = await ingestFile({ size: MAX_FILE_BYTES + 10 * 1024 * 1024 } as Blob, 'giant.csv');
    if (app.ok) throw new Error('a file over the limit must be refused');
    expect(app.errors[0].message).toBe('giant.csv: the file is 210 MB; the largest file this app reads is 200 MB');
    expect(refusal(path)).toBe(`giant.csv was not accepted:\n${app.errors[0].message}. ${app.errors[0].hint}`);
  });

  it('names a file it cannot read', () => {
    expect(refusal(join(folder, 'missing.csv'))).toMatch(/^Cannot read .*missing\.csv: /);
    expect(refusal(folder)).toMatch(/is not a file: give the path of a CSV file\.$/);
  });
});
