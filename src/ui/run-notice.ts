/**
 * The notice under a run's settings: what happened, in words, and, after a failure that a fresh
 * worker may overcome (a crash, a lost GPU), a button that runs the same work again. Errors are
 * alerts, so screen readers announce them at once.
 */
import { html, nothing, type TemplateResult } from 'lit';

export interface Notice {
  readonly tone: 'info' | 'success' | 'error';
  readonly text: string;
  /** Runs the failed work again, with the button's label (e.g. "Retry on CPU (WebAssembly)"). */
  readonly retry?: { readonly label: string; readonly run: () => void };
}

export function noticeView(notice: Notice | null, testId: string, busy: boolean): TemplateResult | typeof nothing {
  if (!notice) return nothing;
  const retry = notice.retry;
  return html`<p class="notice" data-tone=${notice.tone} role=${notice.tone === 'error' ? 'alert' : nothing} data-testid=${testId}>
      ${notice.text}
    </p>
    ${retry ? html`<button data-testid="retry-run" ?disabled=${busy} @click=${retry.run}>${retry.label}</button>` : nothing}`;
}
