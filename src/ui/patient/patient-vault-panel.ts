/**
 * `<qp-patient-vault>`: the Patient tab's encrypted records (vault-session.ts) — set a passphrase,
 * unlock, lock, the list of patients (open, delete), export as an encrypted file and import one. An
 * opened patient is handed to the view as a `patient-opened` event (detail: StoredPatient). Holds no
 * science and no key: the session and the store do the work.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { downloadBlob } from '../../export/download';
import type { PatientSummary, StoredPatient } from '../../store/patients';
import { controlStyles, formStyles } from '../shared-styles';
import { vaultSession } from './vault-session';

const FILE_LIMIT = 50_000_000;

export class PatientVaultPanel extends LitElement {
  static override properties = { confirming: { state: true }, fileText: { state: true }, fileName: { state: true } };
  static override styles = [
    controlStyles,
    formStyles,
    css`
      :host {
        display: block;
        border: 1px solid var(--qp-border, #d5dbe1);
        border-radius: 8px;
        padding: 0.5rem 0.9rem;
        margin-bottom: 1rem;
      }
      h3 {
        font-size: 1.05rem;
        margin: 0.2rem 0 0.4rem;
      }
      form,
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: flex-end;
        margin: 0.3rem 0;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 0.15rem;
      }
      .alert {
        background: #fdecea;
        border: 1px solid #e3a39c;
        border-radius: 8px;
        padding: 0.4rem 0.8rem;
      }
      .hint {
        font-size: 0.9rem;
        color: #4a5563;
      }
      table {
        border-collapse: collapse;
        margin: 0.3rem 0;
      }
      th,
      td {
        padding: 0.2rem 0.6rem;
        text-align: left;
        border-bottom: 1px solid var(--qp-border, #d5dbe1);
      }
    `,
  ];

  declare confirming: string | null;
  declare fileText: string | null;
  declare fileName: string;
  private readonly onChange = (): void => this.requestUpdate();

  constructor() {
    super();
    this.confirming = null;
    this.fileText = null;
    this.fileName = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    vaultSession.addEventListener('change', this.onChange);
    vaultSession.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    vaultSession.removeEventListener('change', this.onChange);
  }

  override render(): TemplateResult {
    const s = vaultSession;
    return html`<section aria-labelledby="vault-h" data-testid="patient-vault" data-state=${s.state}>
      <h3 id="vault-h">Saved patients (encrypted in this browser)</h3>
      ${s.problem ? html`<p class="alert" role="alert" data-testid="vault-problem">${s.problem}</p>` : nothing}
      <p role="status" data-testid="vault-status">${s.busy ? 'Working…' : s.status}</p>
      ${s.state === 'none' ? this.renderNone() : s.state === 'locked' ? this.renderLocked() : s.state === 'unlocked' ? this.renderUnlocked() : nothing}
    </section>`;
  }

  private renderNone(): TemplateResult {
    return html`<p class="hint">
        To keep patients between visits, choose a passphrase (8 characters or more). Records are encrypted with it (AES-GCM, key from
        PBKDF2-SHA-256) and kept only in this browser; without the passphrase they cannot be read, also not by us. Forgotten, it cannot be
        recovered.
      </p>
      <form @submit=${this.onCreate}>
        <label>Passphrase <input name="passphrase" type="password" autocomplete="new-password" data-testid="vault-new-passphrase" /></label>
        <label>Repeat it <input name="repeated" type="password" autocomplete="new-password" data-testid="vault-repeat-passphrase" /></label>
        <button type="submit" ?disabled=${vaultSession.busy}>Keep patients encrypted</button>
      </form>
      ${this.renderFileImport('Or start from an encrypted patient file', (text, pass) => vaultSession.createFromFile(text, pass))}`;
  }

  private renderLocked(): TemplateResult {
    return html`<form @submit=${this.onUnlock}>
        <label
          >Passphrase
          <input name="passphrase" type="password" autocomplete="current-password" data-testid="vault-passphrase" />
        </label>
        <button type="submit" ?disabled=${vaultSession.busy}>Unlock</button>
      </form>
      <p class="hint">Forgotten passphrase: the records cannot be opened; “Delete all my data” in the side panel removes them.</p>`;
  }

  private renderUnlocked(): TemplateResult {
    const patients = vaultSession.patients;
    return html`<div class="row">
        <button @click=${() => vaultSession.lock()} data-testid="vault-lock">Lock now</button>
        <button @click=${this.onExport} ?disabled=${patients.length === 0 || vaultSession.busy}>Export an encrypted file</button>
      </div>
      ${
        patients.length === 0
          ? html`<p data-testid="vault-empty">No patient saved yet.</p>`
          : html`<table data-testid="vault-list">
              <thead>
                <tr>
                  <th scope="col">Patient</th>
                  <th scope="col">Last saved</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                ${patients.map((p) => this.renderRow(p))}
              </tbody>
            </table>`
      }
      ${this.renderFileImport('Import an encrypted patient file', (text, pass) => vaultSession.importFile(text, pass))}
      <p class="hint">Locks itself after 15 minutes without use.</p>`;
  }

  private renderRow(p: PatientSummary): TemplateResult {
    return html`<tr>
      <td>${p.name}</td>
      <td>${new Date(p.updatedAt).toLocaleString()}</td>
      <td>
        <button @click=${() => this.open(p)} aria-label="Open ${p.name}">Open</button>
        ${
          this.confirming === p.id
            ? html`<button @click=${() => this.deletePatient(p)} aria-label="Really delete ${p.name}">Really delete</button>
                <button @click=${() => (this.confirming = null)}>Keep</button>`
            : html`<button @click=${() => (this.confirming = p.id)} aria-label="Delete ${p.name}">Delete</button>`
        }
      </td>
    </tr>`;
  }

  private renderFileImport(label: string, run: (text: string, passphrase: string) => Promise<boolean>): TemplateResult {
    return html`<form
      @submit=${async (e: SubmitEvent) => {
        e.preventDefault();
        const form = e.target as HTMLFormElement;
        const pass = (form.elements.namedItem('file-passphrase') as HTMLInputElement).value;
        if (this.fileText === null) return;
        if (await run(this.fileText, pass)) {
          this.fileText = null;
          form.reset();
        }
      }}
    >
      <label
        >${label}
        <input type="file" accept=".json,application/json" data-testid="vault-file" @change=${this.onFile} />
      </label>
      ${
        this.fileText !== null
          ? html`<label
                >Passphrase of ${this.fileName}
                <input name="file-passphrase" type="password" autocomplete="off" data-testid="vault-file-passphrase" />
              </label>
              <button type="submit" ?disabled=${vaultSession.busy}>Import</button>`
          : nothing
      }
    </form>`;
  }

  private async onFile(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    if (file.size > FILE_LIMIT) {
      vaultSession.problem = `${file.name} is larger than 50 MB: not a patient file.`;
      this.requestUpdate();
      return;
    }
    this.fileName = file.name;
    this.fileText = await file.text();
  }

  private async onCreate(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = (name: string): string => (form.elements.namedItem(name) as HTMLInputElement).value;
    if (await vaultSession.create(value('passphrase'), value('repeated'))) form.reset();
  }

  private async onUnlock(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const input = form.elements.namedItem('passphrase') as HTMLInputElement;
    if (await vaultSession.unlock(input.value)) form.reset();
    else input.select();
  }

  private async onExport(): Promise<void> {
    const text = await vaultSession.exportFile();
    if (text === null) return;
    const day = new Date().toISOString().slice(0, 10);
    downloadBlob(new Blob([text], { type: 'application/json' }), `patients-${day}.qpkpd-patients.json`);
  }

  private async open(p: PatientSummary): Promise<void> {
    const loaded = await vaultSession.load(p.id);
    if (loaded) this.dispatchEvent(new CustomEvent<StoredPatient>('patient-opened', { detail: loaded, bubbles: true, composed: true }));
  }

  private async deletePatient(p: PatientSummary): Promise<void> {
    this.confirming = null;
    if (await vaultSession.remove(p))
      this.dispatchEvent(new CustomEvent<string>('patient-deleted', { detail: p.id, bubbles: true, composed: true }));
  }
}

customElements.define('qp-patient-vault', PatientVaultPanel);

declare global {
  interface HTMLElementTagNameMap {
    'qp-patient-vault': PatientVaultPanel;
  }
}
