import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeStudioDatabase, openStudioDatabase } from './database';
import { deleteAllData } from './delete-all';
import { StorageQuotaError, StoredItemMissingError } from './errors';
import { WRONG_FILE_PASSPHRASE, WRONG_PASSPHRASE } from './patient-crypto';
import {
  createPatientVault,
  createPatientVaultFromFile,
  hasPatientVault,
  InactivityLock,
  LOCKED_MESSAGE,
  type LockClock,
  PatientVaultError,
  PBKDF2_ITERATIONS,
  unlockPatientVault,
  VAULT_KEY,
} from './patients';
import { DATABASE_NAME, MIGRATIONS, type StudioSchema } from './schema';

/** Tests use few iterations to stay fast; one test checks the default. */
const FAST = { iterations: 1000 };
const PASS = 'correct horse battery staple';

const patient = (creatinine = 123.456) => ({
  format: 'qpkpd-patient',
  version: 1,
  covariates: { BW: 82, CREATININE: creatinine },
  doses: [{ time: 0, amount: 5, route: 'oral', every: 24, count: 14 }],
  observations: [
    { time: 317, endpoint: 'pk', value: 41.2 },
    { time: 330, endpoint: 'pd', value: 4.1 },
  ],
  regimen: { interval: 24, route: 'oral', step: 0.5 },
  probability: 0.9,
});

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

afterEach(async () => {
  await closeStudioDatabase();
  vi.restoreAllMocks();
});

/** Every byte the database holds for the vault, as text (Latin-1 for byte arrays, JSON for the rest). */
async function storedText(): Promise<string> {
  const db = await openStudioDatabase();
  const values = [...(await db.getAll('patient-vault')), ...(await db.getAll('patient-records'))];
  return JSON.stringify(values, (_key, value: unknown) =>
    value instanceof Uint8Array ? Array.from(value, (b) => String.fromCharCode(b)).join('') : value,
  );
}

describe('patient vault', () => {
  it('saves, lists, loads, renames and deletes patients through a passphrase', async () => {
    expect(await hasPatientVault()).toBe(false);
    await expect(unlockPatientVault(PASS)).rejects.toThrow(/No patient records are kept in this browser yet/);
    const vault = await createPatientVault(PASS, FAST);
    expect(await hasPatientVault()).toBe(true);
    await expect(createPatientVault(PASS, FAST)).rejects.toThrow(/already keeps patient records/);

    const jane = await vault.save({ name: ' Jane Roe ', document: patient() });
    const john = await vault.save({ name: 'John Doe', document: patient(90) });
    const twin = await vault.save({ name: 'jane roe', document: patient(70) });
    expect(jane.name).toBe('Jane Roe');
    expect(twin.name).toBe('jane roe (2)');
    expect((await vault.list()).map((s) => s.name)).toEqual(['Jane Roe', 'jane roe (2)', 'John Doe']);

    const loaded = await vault.load(jane.id);
    expect(loaded.document).toEqual(patient());
    expect(loaded.model).toBeNull();
    expect(loaded.record.covariates).toEqual({ BW: 82, CREATININE: 123.456 });
    expect(loaded.summary).toEqual(jane);

    const model = { format: 'qpkpd-study', version: 1, name: 'a model', model: { parameters: { CL: 3.5 } } };
    const updated = await vault.save({ id: jane.id, name: 'Jane Roe', document: patient(150), model });
    expect(updated.createdAt).toBe(jane.createdAt);
    expect((await vault.load(jane.id)).record.covariates.CREATININE).toBe(150);
    // The model the patient was saved with comes back with it (sealed like the rest).
    expect((await vault.load(jane.id)).model).toEqual(model);
    expect(await storedText()).not.toContain('a model');
    await expect(vault.save({ id: jane.id, name: 'John Doe', document: patient() })).rejects.toThrow(
      /Another patient is already named “John Doe”/,
    );

    await vault.rename(john.id, 'John Q. Doe');
    await expect(vault.rename(john.id, '  ')).rejects.toThrow('A patient name cannot be empty.');
    await expect(vault.rename(john.id, 'JANE ROE')).rejects.toThrow(/already named “Jane Roe”/);
    expect((await vault.load(john.id)).summary.name).toBe('John Q. Doe');
    expect((await vault.load(john.id)).record.covariates.CREATININE).toBe(90);

    await vault.delete(twin.id);
    await expect(vault.load(twin.id)).rejects.toBeInstanceOf(StoredItemMissingError);
    expect((await vault.list()).map((s) => s.name)).toEqual(['Jane Roe', 'John Q. Doe']);

    // Another page unlocks the same records.
    const again = await unlockPatientVault(PASS);
    expect((await again.list()).map((s) => s.id).sort()).toEqual([jane.id, john.id].sort());
  });

  it('refuses a document that is not a valid patient record, a short passphrase, and anything once locked', async () => {
    await expect(createPatientVault('short', FAST)).rejects.toThrow(/at least 8 characters/);
    expect(await hasPatientVault()).toBe(false);
    const vault = await createPatientVault(PASS, FAST);
    const bad = { ...patient(), doses: [] };
    await expect(vault.save({ name: 'Bad', document: bad })).rejects.toThrow(
      /not valid, so it was not saved: doses: must list at least one dose/,
    );
    await expect(vault.save({ name: 'Bad', document: { format: 'other' } })).rejects.toBeInstanceOf(PatientVaultError);
    expect(await vault.list()).toEqual([]);
    const saved = await vault.save({ name: 'Kept', document: patient() });
    vault.lock();
    expect(vault.locked).toBe(true);
    await expect(vault.list()).rejects.toThrow(LOCKED_MESSAGE);
    await expect(vault.load(saved.id)).rejects.toThrow(LOCKED_MESSAGE);
    await expect(vault.save({ name: 'More', document: patient() })).rejects.toThrow(LOCKED_MESSAGE);
    await expect(vault.exportFile()).rejects.toThrow(LOCKED_MESSAGE);
  });

  it('a wrong passphrase gets a clear message, writes nothing, and the right one still reads every record', async () => {
    const vault = await createPatientVault(PASS, FAST);
    const ids = [];
    for (const [i, name] of ['A', 'B', 'C'].entries()) ids.push((await vault.save({ name, document: patient(100 + i) })).id);
    vault.lock();
    const before = await storedText();
    const writes = vi.spyOn(IDBObjectStore.prototype, 'put');
    const adds = vi.spyOn(IDBObjectStore.prototype, 'add');

    const attempt = unlockPatientVault('correct horse battery stapler');
    await expect(attempt).rejects.toBeInstanceOf(PatientVaultError);
    await expect(attempt).rejects.toThrow(WRONG_PASSPHRASE);
    expect(WRONG_PASSPHRASE).toMatch(/^The passphrase does not open this browser's patient records\./);
    expect(writes).not.toHaveBeenCalled();
    expect(adds).not.toHaveBeenCalled();
    expect(await storedText()).toBe(before);

    const reopened = await unlockPatientVault(PASS);
    for (const [i, id] of ids.entries()) expect((await reopened.load(id)).record.covariates.CREATININE).toBe(100 + i);
  });

  it('stores no plaintext: names, covariate names and values appear nowhere in the stored bytes or the export', async () => {
    const vault = await createPatientVault(PASS, FAST);
    await vault.save({ name: 'Zelda Quartermain', document: patient(987.654) });
    const texts = [await storedText(), await vault.exportFile()];
    for (const text of texts)
      for (const secret of [
        'Zelda',
        'Quartermain',
        'CREATININE',
        'creatinine',
        '987.654',
        'qpkpd-patient"',
        'covariates',
        'observations',
        PASS,
      ])
        expect(text, secret).not.toContain(secret);
  });

  it('seals each save with a fresh 12-byte IV', async () => {
    const vault = await createPatientVault(PASS, FAST);
    const first = await vault.save({ name: 'Same', document: patient() });
    const db = await openStudioDatabase();
    const a = await db.get('patient-records', first.id);
    await vault.save({ id: first.id, name: 'Same', document: patient() });
    const b = await db.get('patient-records', first.id);
    const second = await vault.save({ name: 'Other', document: patient() });
    const c = await db.get('patient-records', second.id);
    const ivs = [a, b, c].flatMap((r) => [r!.header.iv, r!.body.iv]).map((iv) => Array.from(iv).join(','));
    expect(new Set(ivs).size).toBe(6);
    for (const r of [a, b, c]) expect(r!.body.iv).toHaveLength(12);
    expect(Array.from(a!.body.data)).not.toEqual(Array.from(b!.body.data));
  });

  it('uses at least 600,000 PBKDF2 iterations by default and records the count with a 16-byte salt', async () => {
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    const vault = await createPatientVault(PASS);
    expect(vault.iterations).toBe(PBKDF2_ITERATIONS);
    const stored = await (await openStudioDatabase()).get('patient-vault', VAULT_KEY);
    expect(stored?.iterations).toBe(PBKDF2_ITERATIONS);
    expect(stored?.salt).toHaveLength(16);
    const file = JSON.parse(await vault.exportFile()) as { kdf: { iterations: number; hash: string } };
    expect(file.kdf).toMatchObject({ iterations: PBKDF2_ITERATIONS, hash: 'SHA-256' });
  });

  it('exports the vault as an encrypted file that imports with its passphrase, here or in a fresh browser', async () => {
    const vault = await createPatientVault(PASS, FAST);
    const model = { format: 'qpkpd-study', name: 'the model of the file' };
    const jane = await vault.save({ name: 'Jane Roe', document: patient(), model });
    await vault.save({ name: 'John Doe', document: patient(90) });
    const file = await vault.exportFile();
    expect(file).not.toContain('the model of the file');
    expect(JSON.parse(file)).toMatchObject({ format: 'qpkpd-patient-vault', version: 1, kdf: { name: 'PBKDF2', iterations: 1000 } });

    // Importing into the same vault adds nothing twice.
    expect(await vault.importFile(file, PASS)).toEqual({ added: [], skipped: 2 });

    // A fresh browser: a new vault from the file.
    await closeStudioDatabase();
    globalThis.indexedDB = new IDBFactory();
    const fresh = await createPatientVaultFromFile(file, PASS, FAST);
    expect((await fresh.list()).map((s) => s.name)).toEqual(['Jane Roe', 'John Doe']);
    expect((await fresh.load(jane.id)).document).toEqual(patient());
    expect((await fresh.load(jane.id)).model).toEqual(model);

    // Another vault, another passphrase, with a patient of the same name: the import's gets " (2)".
    await closeStudioDatabase();
    globalThis.indexedDB = new IDBFactory();
    const other = await createPatientVault('another passphrase', FAST);
    await other.save({ name: 'Jane Roe', document: patient(50) });
    const result = await other.importFile(file, PASS);
    expect(result.skipped).toBe(0);
    expect(result.added.map((s) => s.name).sort()).toEqual(['Jane Roe (2)', 'John Doe']);
    expect((await other.list()).map((s) => s.name)).toEqual(['Jane Roe', 'Jane Roe (2)', 'John Doe']);
    expect((await other.load(jane.id)).record.covariates.CREATININE).toBe(123.456);
    // Still opened by its own passphrase only.
    await expect(unlockPatientVault(PASS)).rejects.toThrow(WRONG_PASSPHRASE);
    expect(await (await unlockPatientVault('another passphrase')).list()).toHaveLength(3);
  });

  it('an import with a wrong passphrase, or of a damaged file, changes nothing', async () => {
    const source = await createPatientVault(PASS, FAST);
    await source.save({ name: 'Jane Roe', document: patient() });
    const file = await source.exportFile();
    await closeStudioDatabase();
    globalThis.indexedDB = new IDBFactory();

    await expect(createPatientVaultFromFile(file, 'not the passphrase', FAST)).rejects.toThrow(WRONG_FILE_PASSPHRASE);
    expect(await hasPatientVault()).toBe(false);

    const vault = await createPatientVault('another passphrase', FAST);
    await vault.save({ name: 'Here', document: patient() });
    const before = await storedText();
    await expect(vault.importFile(file, 'not the passphrase')).rejects.toThrow(WRONG_FILE_PASSPHRASE);
    await expect(vault.importFile('{ not json', PASS)).rejects.toThrow(/not a patient file .* \(it is not JSON\)\. Nothing was changed\./);
    const tampered = JSON.parse(file) as { records: { body: { data: string } }[] };
    const data = tampered.records[0].body.data;
    tampered.records[0].body.data = (data[0] === 'A' ? 'B' : 'A') + data.slice(1);
    await expect(vault.importFile(JSON.stringify(tampered), PASS)).rejects.toThrow(/could not be decrypted/);
    expect(await storedText()).toBe(before);
    expect((await vault.list()).map((s) => s.name)).toEqual(['Here']);
  });

  it('writes nothing when the browser refuses the space, for a save or part-way through an import', async () => {
    const source = await createPatientVault(PASS, FAST);
    for (const name of ['A', 'B', 'C']) await source.save({ name, document: patient() });
    const file = await source.exportFile();
    await closeStudioDatabase();
    globalThis.indexedDB = new IDBFactory();
    const vault = await createPatientVault('another passphrase', FAST);
    await vault.save({ name: 'Here', document: patient() });
    const before = await storedText();
    const realAdd = IDBObjectStore.prototype.add;
    let adds = 0;
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (this: IDBObjectStore, value, key) {
      // the first record is written, the second refused
      if (this.name === 'patient-records' && ++adds === 2) throw new DOMException('quota', 'QuotaExceededError');
      return realAdd.call(this, value, key);
    });
    const attempt = vault.importFile(file, PASS);
    await expect(attempt).rejects.toBeInstanceOf(StorageQuotaError);
    await expect(attempt).rejects.toThrow(/Not enough browser storage to save 3 imported patients\. Nothing was saved/);
    adds = 1;
    await expect(vault.save({ name: 'New', document: patient() })).rejects.toBeInstanceOf(StorageQuotaError);
    vi.restoreAllMocks();
    expect(await storedText()).toBe(before);
    expect((await vault.list()).map((s) => s.name)).toEqual(['Here']);
  });

  it('locks itself after the set minutes without activity (fake clock); activity postpones it', async () => {
    let now = 0;
    const timers: { at: number; run: () => void; id: number }[] = [];
    let nextId = 1;
    const clock: LockClock = {
      now: () => now,
      setTimeout: (run, ms) => {
        timers.push({ at: now + ms, run, id: nextId });
        return nextId++;
      },
      clearTimeout: (id) => {
        const i = timers.findIndex((t) => t.id === id);
        if (i >= 0) timers.splice(i, 1);
      },
    };
    const advance = (ms: number): void => {
      now += ms;
      for (let t = timers.find((x) => x.at <= now); t; t = timers.find((x) => x.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.run();
      }
    };
    const vault = await createPatientVault(PASS, FAST);
    let locks = 0;
    vault.onLock(() => locks++);
    const lock = new InactivityLock(vault, 10, clock);
    advance(9 * 60_000);
    await vault.list(); // activity at minute 9
    advance(5 * 60_000);
    expect(vault.locked).toBe(false);
    lock.touch(); // activity at minute 14
    advance(9 * 60_000);
    expect(vault.locked).toBe(false);
    advance(60_000);
    expect(vault.locked).toBe(true);
    expect(locks).toBe(1); // the page is told (once), so it can show the unlock screen
    vault.lock();
    expect(locks).toBe(1);
    expect(timers).toEqual([]);
    await expect(vault.list()).rejects.toThrow(LOCKED_MESSAGE);

    // check(): a page back from the background locks at once when the time has passed.
    const other = await unlockPatientVault(PASS);
    const watch = new InactivityLock(other, 10, clock);
    now += 11 * 60_000;
    expect(watch.check()).toBe(true);
    expect(other.locked).toBe(true);
  });

  it('is deleted by "Delete all my data"', async () => {
    const vault = await createPatientVault(PASS, FAST);
    await vault.save({ name: 'Jane Roe', document: patient() });
    vi.stubGlobal('caches', undefined);
    await deleteAllData();
    vi.unstubAllGlobals();
    expect(await hasPatientVault()).toBe(false);
    expect(await (await openStudioDatabase()).count('patient-records')).toBe(0);
    await expect(unlockPatientVault(PASS)).rejects.toThrow(/No patient records/);
    // The old handle cannot write into a vault made afresh.
    await createPatientVault('a new passphrase', FAST);
    await expect(vault.save({ name: 'Late', document: patient() })).rejects.toThrow(/deleted or replaced/);
  });

  it('upgrades a database of the previous schema version, keeping its data', async () => {
    const previous = MIGRATIONS.length - 1;
    const old = await openDB<StudioSchema>(DATABASE_NAME, previous, {
      upgrade: async (db, _old, _new, tx) => {
        for (const step of MIGRATIONS.slice(0, previous)) await step(db, tx);
      },
    });
    await old.put('study-memory', { signature: 'kept', spec: {} as never, updatedAt: 1 });
    old.close();
    const vault = await createPatientVault(PASS, FAST);
    await vault.save({ name: 'Jane Roe', document: patient() });
    const db = await openStudioDatabase();
    expect(db.version).toBe(MIGRATIONS.length);
    expect(await db.getAllKeys('study-memory')).toEqual(['kept']);
    expect(await db.count('patient-records')).toBe(1);
  });
});
