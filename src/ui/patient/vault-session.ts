/**
 * The page's hold on the encrypted patient vault (src/store/patients.ts): whether this browser keeps
 * one, whether it is unlocked, the list of patients, and the last message — one per page, so the vault
 * stays unlocked while the user looks at another tab, and locks itself after AUTO_LOCK_MINUTES without
 * activity (or at once with `lock()`). Views subscribe to its changes ('change' events). The key lives
 * in the PatientVault only; nothing here is stored.
 */
import {
  AUTO_LOCK_MINUTES,
  createPatientVault,
  createPatientVaultFromFile,
  hasPatientVault,
  InactivityLock,
  type PatientSummary,
  type PatientVault,
  type StoredPatient,
  unlockPatientVault,
} from '../../store/patients';
import { onStoreChange } from '../../store/store-changes';

export type VaultState = 'checking' | 'none' | 'locked' | 'unlocked';

export class VaultSession extends EventTarget {
  state: VaultState = 'checking';
  patients: PatientSummary[] = [];
  /** The last failure, in words for the user ('' when none). */
  problem = '';
  /** The last success, in words ('' when none). */
  status = '';
  busy = false;
  private vault: PatientVault | null = null;
  private watch: InactivityLock | null = null;
  private started = false;

  /** Finds out what this browser keeps (once; later calls do nothing). */
  start(): void {
    if (this.started) return;
    this.started = true;
    onStoreChange('patients', () => void this.refreshList());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.watch?.check();
    });
    void this.refreshState();
  }

  /** Notes activity in the Patient view (typing counts as use). */
  touch(): void {
    this.watch?.touch();
  }

  /** Sets up the vault with a passphrase typed twice. */
  create(passphrase: string, repeated: string): Promise<boolean> {
    if (passphrase !== repeated) return Promise.resolve(this.fail('The two passphrases differ. Type the same passphrase twice.'));
    return this.act(async () => {
      this.hold(await createPatientVault(passphrase));
      this.status = 'Patient records are now kept in this browser, encrypted with your passphrase.';
    });
  }

  unlock(passphrase: string): Promise<boolean> {
    return this.act(async () => {
      this.hold(await unlockPatientVault(passphrase));
      this.status = 'Unlocked.';
    });
  }

  /** Where no vault exists: a vault made from an exported file, with the file's passphrase. */
  createFromFile(text: string, passphrase: string): Promise<boolean> {
    return this.act(async () => {
      this.hold(await createPatientVaultFromFile(text, passphrase));
      this.status = `Imported ${this.patients.length} patient${this.patients.length === 1 ? '' : 's'} from the file.`;
    });
  }

  lock(): void {
    this.vault?.lock();
  }

  async save(item: { id?: string; name: string; document: unknown; model?: unknown }): Promise<PatientSummary | null> {
    let saved: PatientSummary | null = null;
    await this.act(async () => {
      saved = await this.open().save(item);
      this.status = `Saved “${saved.name}” (encrypted, in this browser).`;
    });
    return saved;
  }

  async load(id: string): Promise<StoredPatient | null> {
    let loaded: StoredPatient | null = null;
    await this.act(async () => {
      loaded = await this.open().load(id);
      this.status = `Opened “${loaded.summary.name}”.`;
    });
    return loaded;
  }

  remove(summary: PatientSummary): Promise<boolean> {
    return this.act(async () => {
      await this.open().delete(summary.id);
      this.status = `Deleted “${summary.name}”.`;
    });
  }

  /** The whole vault as an encrypted file's text, or null after a failure (told in `problem`). */
  async exportFile(): Promise<string | null> {
    let text: string | null = null;
    await this.act(async () => {
      text = await this.open().exportFile();
      this.status = `Exported ${this.patients.length} patient${this.patients.length === 1 ? '' : 's'} as an encrypted file.`;
    });
    return text;
  }

  importFile(text: string, passphrase: string): Promise<boolean> {
    return this.act(async () => {
      const result = await this.open().importFile(text, passphrase);
      const skipped = result.skipped > 0 ? `; ${result.skipped} already here left as they are` : '';
      this.status = `Imported ${result.added.length} patient${result.added.length === 1 ? '' : 's'}${skipped}.`;
    });
  }

  private open(): PatientVault {
    if (!this.vault || this.vault.locked) throw new Error('The patient records are locked. Unlock them with the passphrase to go on.');
    return this.vault;
  }

  private hold(vault: PatientVault): void {
    this.watch?.stop();
    this.vault = vault;
    this.watch = new InactivityLock(vault, AUTO_LOCK_MINUTES);
    vault.onLock(() => {
      if (this.vault !== vault) return;
      this.watch?.stop();
      this.watch = null;
      this.vault = null;
      this.patients = [];
      this.state = 'locked';
      this.status = 'The patient records are locked.';
      this.changed();
    });
    this.state = 'unlocked';
  }

  /** Runs an action: busy while it runs, its failure told in `problem`, the list read again after. */
  private async act(action: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.problem = '';
    this.status = '';
    this.changed();
    try {
      await action();
      if (this.vault && !this.vault.locked) this.patients = await this.vault.list();
      return true;
    } catch (error) {
      this.problem = (error as Error).message;
      if (this.state !== 'unlocked') await this.refreshState();
      return false;
    } finally {
      this.busy = false;
      this.changed();
    }
  }

  private fail(message: string): boolean {
    this.problem = message;
    this.status = '';
    this.changed();
    return false;
  }

  private async refreshState(): Promise<void> {
    try {
      if (this.vault && !this.vault.locked) this.state = 'unlocked';
      else this.state = (await hasPatientVault()) ? 'locked' : 'none';
    } catch (error) {
      this.problem = `The patient records cannot be read in this browser: ${(error as Error).message}`;
      this.state = 'none';
    }
    this.changed();
  }

  /** Another tab saved or deleted a patient (or deleted all data): read the list (or the state) again. */
  private async refreshList(): Promise<void> {
    if (!this.vault || this.vault.locked) return this.refreshState();
    try {
      if (!(await hasPatientVault())) {
        // Deleted ("Delete all my data", here or in another tab): nothing is left to unlock.
        this.watch?.stop();
        this.watch = null;
        this.vault = null;
        this.patients = [];
        this.state = 'none';
        this.changed();
        return;
      }
      this.patients = await this.vault.list();
    } catch (error) {
      this.problem = (error as Error).message;
    }
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}

export const vaultSession = new VaultSession();
