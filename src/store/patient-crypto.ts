/**
 * The cryptography of the patient vault (issue 14, privacy at rest), WebCrypto only
 * (globalThis.crypto.subtle: browsers, workers and Node 20):
 *
 * - the key: PBKDF2-HMAC-SHA-256 of the passphrase with the vault's random 16-byte salt, at least
 *   600,000 iterations (OWASP's 2023 figure for PBKDF2-SHA-256) → an AES-GCM 256-bit key that cannot
 *   be exported (it lives in memory only, as a CryptoKey);
 * - each sealed item: AES-GCM with a fresh random 12-byte IV and a 128-bit tag, and the item's role
 *   ("verifier", "header:ID", "body:ID") as additional data, so a ciphertext moved to another record
 *   or role fails to open instead of being read as something else;
 * - the verifier: a known text sealed with the key, opened first on unlock and import, so a wrong
 *   passphrase is told before anything is read or written.
 */

/** Default PBKDF2 iteration count; never lower in the app (tests pass a small count to stay fast). */
export const PBKDF2_ITERATIONS = 600_000;
export const SALT_BYTES = 16;
export const IV_BYTES = 12;
export const MIN_PASSPHRASE_LENGTH = 8;

const VERIFIER_TEXT = 'qpkpd-patient-vault verifier 1';

/** An AES-GCM ciphertext (tag appended) and its IV. */
export interface Sealed {
  iv: Uint8Array;
  data: Uint8Array;
}

/** Why the patient records cannot be opened or changed as asked, in words a user can act on. */
export class PatientVaultError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PatientVaultError';
  }
}

export const WRONG_PASSPHRASE = "The passphrase does not open this browser's patient records. Check it and try again; nothing was changed.";
export const WRONG_FILE_PASSPHRASE =
  'The passphrase does not open this patient file. Enter the passphrase the file was exported with; nothing was changed.';

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle as SubtleCrypto | undefined;
  if (!s)
    throw new PatientVaultError(
      'This browser offers no Web Cryptography here (it needs a secure page: https or localhost), so patient records cannot be kept encrypted.',
    );
  return s;
}

export function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** Refuses a passphrase too short to protect anything. */
export function checkPassphrase(passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH)
    throw new PatientVaultError(`Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters (a few words is best).`);
}

/** The AES-GCM 256 key of a passphrase and salt (PBKDF2-SHA-256); not extractable. */
export async function deriveKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new PatientVaultError('The patient records name an invalid key-derivation count.');
  const s = subtle();
  const material = await s.importKey('raw', new TextEncoder().encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return s.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Seals bytes with a fresh IV; `role` is bound as additional data. */
export async function sealBytes(key: CryptoKey, bytes: Uint8Array, role: string): Promise<Sealed> {
  const iv = randomBytes(IV_BYTES);
  const data = await subtle().encrypt(
    { name: 'AES-GCM', iv: iv as BufferSource, additionalData: new TextEncoder().encode(role), tagLength: 128 },
    key,
    bytes as BufferSource,
  );
  return { iv, data: new Uint8Array(data) };
}

/** Opens sealed bytes, or null when the key or role does not match (or the bytes were altered). */
export async function openBytes(key: CryptoKey, sealed: Sealed, role: string): Promise<Uint8Array | null> {
  try {
    const plain = await subtle().decrypt(
      { name: 'AES-GCM', iv: sealed.iv as BufferSource, additionalData: new TextEncoder().encode(role), tagLength: 128 },
      key,
      sealed.data as BufferSource,
    );
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}

/** Seals a JSON value. */
export function sealJson(key: CryptoKey, value: unknown, role: string): Promise<Sealed> {
  return sealBytes(key, new TextEncoder().encode(JSON.stringify(value)), role);
}

/** Opens a sealed JSON value; PatientVaultError when it does not open (`what` names the item). */
export async function openJson(key: CryptoKey, sealed: Sealed, role: string, what: string): Promise<unknown> {
  const bytes = await openBytes(key, sealed, role);
  if (bytes === null) throw new PatientVaultError(`${what} could not be decrypted: it is damaged or was not written with this passphrase.`);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (error) {
    throw new PatientVaultError(`${what} is damaged (its decrypted text is not JSON).`, { cause: error });
  }
}

/** The verifier of a key: a known text sealed with it. */
export function makeVerifier(key: CryptoKey): Promise<Sealed> {
  return sealBytes(key, new TextEncoder().encode(VERIFIER_TEXT), 'verifier');
}

/** Whether `key` opens `verifier` (the passphrase is right). */
export async function verifies(key: CryptoKey, verifier: Sealed): Promise<boolean> {
  const bytes = await openBytes(key, verifier, 'verifier');
  return bytes !== null && new TextDecoder().decode(bytes) === VERIFIER_TEXT;
}

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Bytes of base64 text, or null when it is not base64. */
export function fromBase64(text: unknown): Uint8Array | null {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    const raw = atob(text);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}
