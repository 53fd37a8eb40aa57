/**
 * The encrypted patient vault (issue 14, privacy at rest): patient records kept in this browser's
 * IndexedDB, readable only with a passphrase (see patient-crypto.ts for the cryptography).
 *
 * - 'patient-vault' holds one record: the random salt, the PBKDF2 iteration count and the verifier
 *   (a known text sealed with the key). Nothing else about the passphrase is stored.
 * - 'patient-records' holds one record per patient: its id (random) and two sealed parts, the header
 *   (name and dates: what the list shows) and the body (the qpkpd-patient document and the model it was saved with). Names, covariates,
 *   doses and levels are never stored in the clear.
 *
 * `createPatientVault` / `unlockPatientVault` give a PatientVault holding the key in memory only;
 * `lock()` drops it, and an InactivityLock locks it after some minutes without activity. A wrong
 * passphrase is told by the verifier before anything is read or written. The whole vault can be
 * exported as one encrypted file (the stored ciphertexts, with the salt and iteration count) and
 * imported with its passphrase; a file that does not open, or any record of it that does not, changes
 * nothing. Saved documents are checked with the patient reader first.
 */
import { describePatientProblems, type PatientRecord, readPatientRecord } from '../patient/patient-record';
import { openStudioDatabase } from './database';
import { isQuotaError, StorageQuotaError, StoredItemMissingError } from './errors';
import { checkedName, uniqueName } from './names';
import {
  checkPassphrase,
  deriveKey,
  fromBase64,
  IV_BYTES,
  makeVerifier,
  openJson,
  PatientVaultError,
  PBKDF2_ITERATIONS,
  randomBytes,
  SALT_BYTES,
  type Sealed,
  sealJson,
  toBase64,
  verifies,
  WRONG_FILE_PASSPHRASE,
  WRONG_PASSPHRASE,
} from './patient-crypto';
import type { StoredPatientRecord, StoredPatientVault } from './schema';
import { announceStoreChange } from './store-changes';

export { PatientVaultError, PBKDF2_ITERATIONS };

/** The key of the one record of 'patient-vault'. */
export const VAULT_KEY = 'vault';
export const VAULT_FILE_FORMAT = 'qpkpd-patient-vault';
export const VAULT_FILE_VERSION = 1;
/** Most PBKDF2 iterations a file may ask for (so a crafted file cannot hang the page). */
const MAX_FILE_ITERATIONS = 10_000_000;

export const LOCKED_MESSAGE = 'The patient records are locked. Unlock them with the passphrase to go on.';
const NO_VAULT_MESSAGE = 'No patient records are kept in this browser yet. Set a passphrase to start keeping them.';
const REPLACED_MESSAGE =
  'The patient records were deleted or replaced (in another tab?) since they were unlocked. Nothing was changed; unlock them again.';

export interface PatientVaultOptions {
  /** PBKDF2 iterations for a new vault (default PBKDF2_ITERATIONS; tests pass fewer to stay fast). */
  iterations?: number;
}

/** What the list shows of one patient (decrypted from its header). */
export interface PatientSummary {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

export interface StoredPatient {
  summary: PatientSummary;
  /** The qpkpd-patient document as saved. */
  document: unknown;
  /** The document as the patient reader reads it. */
  record: PatientRecord;
  /** The population model (a study spec document) the patient was saved with, or null. */
  model: unknown;
}

/** What a record's sealed body holds: the patient document and the model it was saved with. */
interface Body {
  patient: unknown;
  model: unknown;
}

export interface PatientImport {
  /** Patients added (under a name made unique beside those already here). */
  added: PatientSummary[];
  /** Patients of the file already in this vault (same id), left as they are here. */
  skipped: number;
}

type Header = Omit<PatientSummary, 'id'>;

/** Whether this browser keeps a patient vault (no passphrase needed to ask). */
export async function hasPatientVault(): Promise<boolean> {
  const db = await openStudioDatabase();
  return (await db.get('patient-vault', VAULT_KEY)) !== undefined;
}

/** Sets up the vault with a passphrase; refuses when one exists (unlock it instead). */
export async function createPatientVault(passphrase: string, options: PatientVaultOptions = {}): Promise<PatientVault> {
  checkPassphrase(passphrase);
  const iterations = options.iterations ?? PBKDF2_ITERATIONS;
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(passphrase, salt, iterations);
  const vault: StoredPatientVault = {
    id: VAULT_KEY,
    vaultId: crypto.randomUUID(),
    salt,
    iterations,
    verifier: await makeVerifier(key),
    createdAt: Date.now(),
  };
  const db = await openStudioDatabase();
  try {
    await db.add('patient-vault', vault);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'ConstraintError')
      throw new PatientVaultError('This browser already keeps patient records under a passphrase. Unlock them with it instead.');
    if (isQuotaError(error)) throw new StorageQuotaError('the patient records', '');
    throw error;
  }
  return new PatientVault(key, vault.vaultId, iterations);
}

/** Unlocks the vault; PatientVaultError (WRONG_PASSPHRASE) for a wrong passphrase. Writes nothing. */
export async function unlockPatientVault(passphrase: string): Promise<PatientVault> {
  const db = await openStudioDatabase();
  const vault = await db.get('patient-vault', VAULT_KEY);
  if (!vault) throw new PatientVaultError(NO_VAULT_MESSAGE);
  const key = await deriveKey(passphrase, vault.salt, vault.iterations);
  if (!(await verifies(key, vault.verifier))) throw new PatientVaultError(WRONG_PASSPHRASE);
  return new PatientVault(key, vault.vaultId, vault.iterations);
}

/**
 * Where no vault exists yet: opens an exported file with its passphrase, then sets up the vault with
 * the same passphrase (a new salt) holding the file's patients. A wrong passphrase writes nothing.
 */
export async function createPatientVaultFromFile(
  text: string,
  passphrase: string,
  options: PatientVaultOptions = {},
): Promise<PatientVault> {
  await openVaultFile(text, passphrase);
  const vault = await createPatientVault(passphrase, options);
  await vault.importFile(text, passphrase);
  return vault;
}

/** An unlocked vault: the key is held here, in memory only, until lock(). */
export class PatientVault {
  private key: CryptoKey | null;
  private readonly listeners = new Set<() => void>();
  private readonly lockListeners = new Set<() => void>();

  constructor(
    key: CryptoKey,
    private readonly vaultId: string,
    /** The vault's PBKDF2 iteration count. */
    readonly iterations: number,
  ) {
    this.key = key;
  }

  get locked(): boolean {
    return this.key === null;
  }

  /** Drops the key: every later call refuses until the vault is unlocked again. */
  lock(): void {
    const was = this.key !== null;
    this.key = null;
    if (was) for (const listener of this.lockListeners) listener();
  }

  /** Calls `listener` when the vault locks (by lock(): a button, or an InactivityLock); returns the unsubscribe. */
  onLock(listener: () => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  /** Calls `listener` on each use of the vault (InactivityLock listens); returns the unsubscribe. */
  onActivity(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** All patients, by name. */
  async list(): Promise<PatientSummary[]> {
    const key = this.use();
    const db = await openStudioDatabase();
    const records = await db.getAll('patient-records');
    const summaries = await Promise.all(records.map((r) => openHeader(key, r)));
    return summaries.sort((a, b) => a.name.localeCompare(b.name) || a.createdAt - b.createdAt);
  }

  /**
   * Saves a patient: a new one (no id; " (2)" is added to a name another patient has), or the new
   * version of a stored one (its id; the name must then be free). The document must read as a
   * qpkpd-patient record. Either the whole record is written or nothing.
   */
  async save(item: { id?: string; name: string; document: unknown; model?: unknown }): Promise<PatientSummary> {
    const key = this.use();
    const wanted = checkedName('patient', item.name);
    const reading = readPatientRecord(item.document);
    if (!reading.ok)
      throw new PatientVaultError(`The patient record is not valid, so it was not saved: ${describePatientProblems(reading.problems)}.`);
    const body = JSON.parse(JSON.stringify({ patient: item.document, model: item.model ?? null })) as Body;
    const others = (await this.list()).filter((s) => s.id !== item.id);
    const previous = item.id === undefined ? undefined : await this.summaryOf(key, item.id);
    const name =
      item.id === undefined
        ? uniqueName(
            wanted,
            others.map((s) => s.name),
          )
        : checkedName(
            'patient',
            wanted,
            others.map((s) => s.name),
          );
    const now = Date.now();
    const id = item.id ?? crypto.randomUUID();
    const header: Header = { name, createdAt: previous?.createdAt ?? now, updatedAt: now };
    const record = await sealRecord(key, id, header, body);
    await this.write([record], item.id === undefined ? 'add' : 'replace', `the patient “${name}”`);
    return { id, ...header };
  }

  async load(id: string): Promise<StoredPatient> {
    const key = this.use();
    const stored = await this.stored(id);
    const [summary, sealed] = await Promise.all([openHeader(key, stored), openJson(key, stored.body, `body:${id}`, 'A patient record')]);
    const body = bodyOf(sealed);
    const reading = readPatientRecord(body.patient);
    if (!reading.ok)
      throw new PatientVaultError(`The stored patient “${summary.name}” is damaged: ${describePatientProblems(reading.problems)}.`);
    return { summary, document: body.patient, record: reading.record, model: body.model };
  }

  /** Renames a patient; refuses a blank or over-long name and one another patient has (in any capitals). */
  async rename(id: string, name: string): Promise<PatientSummary> {
    const key = this.use();
    checkedName('patient', name);
    const stored = await this.stored(id);
    const summary = await openHeader(key, stored);
    const others = (await this.list()).filter((s) => s.id !== id).map((s) => s.name);
    const header: Header = { name: checkedName('patient', name, others), createdAt: summary.createdAt, updatedAt: Date.now() };
    const record: StoredPatientRecord = { id, header: await sealJson(key, header, `header:${id}`), body: stored.body };
    await this.write([record], 'replace', `the patient “${header.name}”`);
    return { id, ...header };
  }

  async delete(id: string): Promise<void> {
    this.use();
    const db = await openStudioDatabase();
    const tx = db.transaction(['patient-vault', 'patient-records'], 'readwrite');
    const vault = await tx.objectStore('patient-vault').get(VAULT_KEY);
    if (vault?.vaultId !== this.vaultId) {
      abandon(tx);
      throw new PatientVaultError(REPLACED_MESSAGE);
    }
    await Promise.all([tx.objectStore('patient-records').delete(id), tx.done]);
    announceStoreChange('patients');
  }

  /** The whole vault as one encrypted file (JSON): the stored ciphertexts with the salt, iteration count and verifier. */
  async exportFile(): Promise<string> {
    this.use();
    const db = await openStudioDatabase();
    const tx = db.transaction(['patient-vault', 'patient-records'], 'readonly');
    const [vault, records] = await Promise.all([
      tx.objectStore('patient-vault').get(VAULT_KEY),
      tx.objectStore('patient-records').getAll(),
    ]);
    if (vault?.vaultId !== this.vaultId) throw new PatientVaultError(REPLACED_MESSAGE);
    const file: VaultFile = {
      format: VAULT_FILE_FORMAT,
      version: VAULT_FILE_VERSION,
      exportedAt: new Date().toISOString(),
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: vault.iterations, salt: toBase64(vault.salt) },
      cipher: { name: 'AES-GCM', length: 256 },
      verifier: sealedText(vault.verifier),
      records: records.map((r) => ({ id: r.id, header: sealedText(r.header), body: sealedText(r.body) })),
    };
    return JSON.stringify(file, null, 1);
  }

  /**
   * Adds the patients of an exported file, opened with the file's passphrase. A wrong passphrase, a
   * damaged file or any record that does not open or read as a patient changes nothing.
   */
  async importFile(text: string, passphrase: string): Promise<PatientImport> {
    this.use();
    const entries = await openVaultFile(text, passphrase);
    const key = this.use();
    const db = await openStudioDatabase();
    const here = new Set(await db.getAllKeys('patient-records'));
    const taken = (await this.list()).map((s) => s.name);
    const records: StoredPatientRecord[] = [];
    const added: PatientSummary[] = [];
    for (const entry of entries) {
      if (here.has(entry.id)) continue;
      const name = uniqueName(entry.header.name, taken);
      taken.push(name);
      const header: Header = { ...entry.header, name };
      records.push(await sealRecord(key, entry.id, header, entry.body));
      added.push({ id: entry.id, ...header });
    }
    if (records.length > 0) await this.write(records, 'add', `${records.length} imported patient${records.length === 1 ? '' : 's'}`);
    return { added, skipped: entries.length - records.length };
  }

  /** The key, after noting the activity; PatientVaultError when locked. */
  private use(): CryptoKey {
    const key = this.key;
    if (key === null) throw new PatientVaultError(LOCKED_MESSAGE);
    for (const listener of this.listeners) listener();
    return key;
  }

  private async stored(id: string): Promise<StoredPatientRecord> {
    const db = await openStudioDatabase();
    const stored = await db.get('patient-records', id);
    if (!stored) throw new StoredItemMissingError('patient', id);
    return stored;
  }

  private async summaryOf(key: CryptoKey, id: string): Promise<PatientSummary> {
    return openHeader(key, await this.stored(id));
  }

  /** Writes sealed records in one transaction, after checking the vault is still the one unlocked. */
  private async write(records: readonly StoredPatientRecord[], mode: 'add' | 'replace', what: string): Promise<void> {
    const db = await openStudioDatabase();
    const tx = db.transaction(['patient-vault', 'patient-records'], 'readwrite');
    const store = tx.objectStore('patient-records');
    try {
      const vault = await tx.objectStore('patient-vault').get(VAULT_KEY);
      if (vault?.vaultId !== this.vaultId) throw new PatientVaultError(REPLACED_MESSAGE);
      for (const record of records) {
        if (mode === 'replace') {
          if ((await store.getKey(record.id)) === undefined) throw new StoredItemMissingError('patient', record.id);
          await store.put(record);
        } else await store.add(record);
      }
      await tx.done;
    } catch (error) {
      abandon(tx);
      if (isQuotaError(error)) throw new StorageQuotaError(what, '');
      throw error;
    }
    announceStoreChange('patients');
  }
}

/** The JSON of an exported vault. */
interface VaultFile {
  format: typeof VAULT_FILE_FORMAT;
  version: typeof VAULT_FILE_VERSION;
  exportedAt: string;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: { name: 'AES-GCM'; length: 256 };
  verifier: SealedText;
  records: { id: string; header: SealedText; body: SealedText }[];
}

interface SealedText {
  iv: string;
  data: string;
}

const sealedText = (s: Sealed): SealedText => ({ iv: toBase64(s.iv), data: toBase64(s.data) });

/** The patients of an exported file, decrypted and checked; PatientVaultError when anything does not open. */
async function openVaultFile(text: string, passphrase: string): Promise<{ id: string; header: Header; body: Body }[]> {
  const damaged = (why: string): PatientVaultError =>
    new PatientVaultError(`This is not a patient file QPKPD Studio can import (${why}). Nothing was changed.`);
  let file: Partial<VaultFile>;
  try {
    file = JSON.parse(text) as Partial<VaultFile>;
  } catch {
    throw damaged('it is not JSON');
  }
  if (typeof file !== 'object' || file === null || file.format !== VAULT_FILE_FORMAT)
    throw damaged(`its "format" is not "${VAULT_FILE_FORMAT}"`);
  if (file.version !== VAULT_FILE_VERSION) throw damaged(`its version is not ${VAULT_FILE_VERSION}`);
  const kdf = file.kdf;
  const salt = fromBase64(kdf?.salt);
  if (kdf?.name !== 'PBKDF2' || kdf.hash !== 'SHA-256' || salt === null || salt.length !== SALT_BYTES)
    throw damaged('its key settings are missing');
  if (!Number.isInteger(kdf.iterations) || kdf.iterations < 1 || kdf.iterations > MAX_FILE_ITERATIONS)
    throw damaged('its iteration count is invalid');
  if (file.cipher?.name !== 'AES-GCM' || file.cipher.length !== 256) throw damaged('it names another cipher');
  const verifier = sealedOf(file.verifier);
  if (!verifier || !Array.isArray(file.records)) throw damaged('its records are missing');
  const records = file.records.map((r) => {
    const header = sealedOf(r?.header);
    const body = sealedOf(r?.body);
    if (typeof r?.id !== 'string' || r.id === '' || !header || !body) throw damaged('a record is incomplete');
    return { id: r.id, header, body };
  });
  if (new Set(records.map((r) => r.id)).size !== records.length) throw damaged('two records have the same id');
  const key = await deriveKey(passphrase, salt, kdf.iterations);
  if (!(await verifies(key, verifier))) throw new PatientVaultError(WRONG_FILE_PASSPHRASE);
  const what = 'A patient of the file';
  return Promise.all(
    records.map(async (r) => {
      const header = headerOf(await openJson(key, r.header, `header:${r.id}`, what));
      const body = bodyOf(await openJson(key, r.body, `body:${r.id}`, what));
      const reading = readPatientRecord(body.patient);
      if (!header || !reading.ok) throw damaged('a patient in it is not a valid record');
      return { id: r.id, header, body };
    }),
  );
}

function sealedOf(value: unknown): Sealed | null {
  const v = value as Partial<SealedText> | null | undefined;
  const iv = fromBase64(v?.iv);
  const data = fromBase64(v?.data);
  return iv !== null && iv.length === IV_BYTES && data !== null && data.length >= 16 ? { iv, data } : null;
}

function headerOf(value: unknown): Header | null {
  const h = value as Partial<Header> | null;
  if (typeof h?.name !== 'string' || h.name.trim() === '' || typeof h.createdAt !== 'number' || typeof h.updatedAt !== 'number')
    return null;
  return { name: h.name, createdAt: h.createdAt, updatedAt: h.updatedAt };
}

async function sealRecord(key: CryptoKey, id: string, header: Header, body: Body): Promise<StoredPatientRecord> {
  const [sealedHeader, sealedBody] = await Promise.all([sealJson(key, header, `header:${id}`), sealJson(key, body, `body:${id}`)]);
  return { id, header: sealedHeader, body: sealedBody };
}

/** A decrypted body: { patient, model }, or a bare patient document (as the first version sealed it). */
function bodyOf(value: unknown): Body {
  const v = value as Partial<Body> | null;
  if (typeof v === 'object' && v !== null && 'patient' in v) return { patient: v.patient, model: v.model ?? null };
  return { patient: value, model: null };
}

async function openHeader(key: CryptoKey, record: StoredPatientRecord): Promise<PatientSummary> {
  const header = headerOf(await openJson(key, record.header, `header:${record.id}`, 'A patient record'));
  if (!header) throw new PatientVaultError('A stored patient record is damaged (its name cannot be read).');
  return { id: record.id, ...header };
}

/** Aborts a transaction that failed part-way, so nothing of it is written. */
function abandon(tx: { abort(): void; done: Promise<void> }): void {
  tx.done.catch(() => undefined);
  try {
    tx.abort();
  } catch {
    // already finished or aborted
  }
}

/** The clock and timers an InactivityLock uses (the page's by default; tests pass a fake one). */
export interface LockClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const pageClock: LockClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Default time without activity before the vault locks itself. */
export const AUTO_LOCK_MINUTES = 15;

/**
 * Locks a vault after `minutes` without activity: each use of the vault counts, and so does `touch()`
 * (the page calls it on input in the Patient view). `check()` locks at once when the time has passed
 * (for a page coming back from the background, whose timers may have been held back).
 */
export class InactivityLock {
  private last: number;
  private timer: unknown = null;
  private readonly unsubscribe: () => void;
  private readonly idleMs: number;

  constructor(
    private readonly vault: PatientVault,
    minutes = AUTO_LOCK_MINUTES,
    private readonly clock: LockClock = pageClock,
  ) {
    this.idleMs = minutes * 60_000;
    this.last = clock.now();
    this.unsubscribe = vault.onActivity(() => this.touch());
    this.schedule(this.idleMs);
  }

  /** Notes activity now. */
  touch(): void {
    this.last = this.clock.now();
  }

  /** Locks the vault when the idle time has passed; returns whether it is locked. */
  check(): boolean {
    if (this.vault.locked) {
      this.stop();
      return true;
    }
    const idle = this.clock.now() - this.last;
    if (idle >= this.idleMs) {
      this.vault.lock();
      this.stop();
      return true;
    }
    this.schedule(this.idleMs - idle);
    return false;
  }

  /** Stops watching (the vault stays as it is). */
  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribe();
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.check();
    }, ms);
  }
}
