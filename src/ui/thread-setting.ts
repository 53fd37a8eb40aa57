import { css, html, LitElement } from 'lit';
import {
  MAX_DEFAULT_THREADS,
  reportedCores,
  storedThreadSetting,
  storeThreadSetting,
  threadCount,
  threadSettingFromUrl,
} from '../platform/threads';

/**
 * The thread setting in the footer: how many threads the page's heavy work uses now (TF.js's WebAssembly
 * threads need cross-origin isolation) and a choice of how many cores to use — "Auto" (all the cores the
 * browser reports, capped) or a number. The choice is kept in this browser (src/platform/threads.ts) and
 * applies to the work started from then on; a `?threads=N` in the page address overrides it (the choice is
 * then disabled and says so).
 */
export class ThreadSetting extends LitElement {
  static override properties = { setting: { state: true }, refused: { state: true } };
  declare setting: number | undefined;
  declare refused: boolean;

  constructor() {
    super();
    this.setting = storedThreadSetting();
    this.refused = false;
  }

  static override styles = css`
    select {
      font: inherit;
      margin-left: 0.25rem;
    }
    .refused {
      color: var(--qp-danger, #b42318);
    }
  `;

  /** The choices: Auto, then 1 … the cores (at least 2, and the current setting if it is larger). */
  private choices(): number[] {
    const top = Math.max(2, Math.min(reportedCores(), MAX_DEFAULT_THREADS), this.setting ?? 0);
    return Array.from({ length: top }, (_, i) => i + 1);
  }

  private choose(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    const setting = value === 'auto' ? undefined : Number(value);
    this.refused = !storeThreadSetting(setting);
    if (!this.refused) this.setting = setting;
  }

  override render() {
    const isolated = window.crossOriginIsolated === true;
    const threads = threadCount();
    const fromUrl = threadSettingFromUrl();
    const cores = reportedCores();
    return html`<span data-testid="threads" data-isolated=${String(isolated)} data-threads=${String(threads)}
        >Threads: ${threads} (${isolated ? 'cross-origin isolated' : 'not cross-origin isolated'})</span
      ><label
        >· Cores to use<select
          data-testid="thread-setting"
          title=${
            fromUrl
              ? 'Set by the page address (?threads=N)'
              : 'Applies to work started from now on; a worker already running keeps its count until the page reloads'
          }
          ?disabled=${fromUrl}
          @change=${(event: Event) => this.choose(event)}
        >
          <option value="auto" ?selected=${this.setting === undefined}>Auto (${Math.min(cores, MAX_DEFAULT_THREADS)})</option>
          ${this.choices().map((n) => html`<option value=${String(n)} ?selected=${this.setting === n}>${n}</option>`)}
        </select></label
      >${this.refused ? html` <span class="refused" role="alert">This browser refused to keep the setting.</span>` : ''}`;
  }
}

customElements.define('qp-thread-setting', ThreadSetting);
