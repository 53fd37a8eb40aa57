/**
 * The notice under a run's settings: what happened, in words, and, after a failure that a fresh
 * worker may overcome (a crash, a silent end, a lost GPU), buttons that run the same work again —
 * "Retry", and "Retry on CPU (WebAssembly)" where the failed run was not on that path (a GPU was
 * involved). Every worker-backed action builds its failure notice with `failureNotice`, so they all
 * read alike. Errors are alerts, so screen readers announce them at once. An unexpected error's own
 * text (a bug's) is not shown as the message: it is folded under "Technical details".
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { type BackendRequest, chooseBackend, type ComputeBackend } from '../platform/compute-backend';
import { isGpuDeviceLost } from '../platform/gpu-device-lost';
import { probeWebGpu, type WebGpuProbe } from '../platform/webgpu-probe';
import { isWorkerLost } from '../../workers/worker-session';

export interface NoticeAction {
  readonly label: string;
  readonly run: () => void;
}

export interface Notice {
  readonly tone: 'info' | 'success' | 'error';
  readonly text: string;
  /** Buttons that run the failed work again (e.g. "Retry", "Retry on CPU (WebAssembly)"). */
  readonly retries?: readonly NoticeAction[];
  /** The technical text of an unexpected error, shown folded under the message. */
  readonly detail?: string;
}

export const RETRY_LABEL = 'Retry';
export const RETRY_ON_CPU_LABEL = 'Retry on CPU (WebAssembly)';

/**
 * Errors whose messages are written for the user (what is wrong, what to do), by name: a name
 * survives the worker boundary (Comlink rebuilds an Error with its name and message), a class does not.
 * Every error class of the app is either here or known not to be shown as written (run-notice.test.ts);
 * a broken invariant of the code throws a plain Error, shown as an unexpected error with its text folded.
 */
export const USER_FACING_ERRORS: ReadonlySet<string> = new Set([
  'WorkerCrashedError',
  'GpuDeviceLostError',
  'BackendUnavailableError',
  'TrainingSessionError',
  'TrainingConfigError',
  'ModelConfigError',
  'ModelDataError',
  'ModelFormatError',
  'UnmodelledDosingError',
  'NameRefusedError',
  'StorageQuotaError',
  'StorageVersionError',
  'StorageUpgradeError',
  'StoredItemMissingError',
  'StoredDataError',
  'TestAlreadyEvaluatedError',
  'DoseSettingsError',
  'PkpdDataError',
  'PkpdParameterError',
  'StudyDataError',
  'PatientDataError',
  'PatientInputError',
  'PatientModelError',
  'PatientVaultError',
  'ModelExportError',
  'FixedModelExportError',
]);

/** What went wrong in words a user can act on, and, for an unexpected error, its technical text. */
export function describeError(error: unknown): { text: string; detail: string | null } {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (USER_FACING_ERRORS.has(name) || isWorkerLost(error)) return { text: message, detail: null };
  return {
    text:
      'An unexpected error inside the app stopped it. Try again; if it happens again with the same data and settings, reload the ' +
      'page, and please report it with the technical details below.',
    detail: `${name || 'Error'}: ${message}`,
  };
}

/** A button that runs the failed work again as it was. */
export const retryAction = (run: () => void): NoticeAction => ({ label: RETRY_LABEL, run });
/** A button that runs the failed work again on TF.js's WebAssembly path. */
export const cpuRetryAction = (run: () => void): NoticeAction => ({ label: RETRY_ON_CPU_LABEL, run });

/**
 * The notice of a failed action: `failed` (e.g. "Training failed") and the error in words; the
 * `retries` buttons only when the worker was lost (crashed, ended or lost its GPU), which a fresh
 * worker may overcome — other failures would fail again the same way.
 */
export function failureNotice(failed: string, error: unknown, retries: readonly NoticeAction[] = []): Notice {
  const { text, detail } = describeError(error);
  const offered = isWorkerLost(error) ? retries : [];
  return { tone: 'error', text: `${failed}: ${text}`, ...(offered.length > 0 ? { retries: offered } : {}), ...(detail ? { detail } : {}) };
}

let probe: Promise<WebGpuProbe> | null = null;

/**
 * Whether "Retry on CPU (WebAssembly)" is worth offering after `error` in a run that asked for
 * `requested`: the GPU was lost, or the run was not on the WebAssembly path (the backend policy
 * decides as the worker did, from this browser's WebGPU adapter: `auto` on a hardware GPU is WebGPU).
 */
export async function offerCpuRetry(requested: BackendRequest, error: unknown): Promise<boolean> {
  if (isGpuDeviceLost(error)) return true;
  if (requested === 'wasm') return false;
  probe ??= probeWebGpu();
  let backend: ComputeBackend;
  try {
    backend = chooseBackend(requested, await probe).backend;
  } catch {
    return true;
  }
  return backend !== 'wasm';
}

/** The look of a notice (tones), for every view that shows one. */
export const noticeStyles = css`
  .notice {
    border-radius: 6px;
    padding: 0.5rem 0.8rem;
    margin: 0 0 1rem;
    border-left: 4px solid var(--tone, #52606d);
    background: var(--tone-bg, #f1f4f7);
  }
  .notice[data-tone='success'] {
    --tone: #1b7a3d;
    --tone-bg: #e8f5ec;
  }
  .notice[data-tone='error'] {
    --tone: var(--qp-danger, #a4161a);
    --tone-bg: #fdecea;
  }
  .notice[data-tone='warning'] {
    --tone: #9a6700;
    --tone-bg: #fff6dd;
  }
  .notice details {
    margin-top: 0.35rem;
    font-size: 0.85rem;
  }
  .notice details pre {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    margin: 0.3rem 0 0;
  }
  .notice-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin: -0.5rem 0 1rem;
  }
`;

/** An unexpected error's technical text, folded under "Technical details" (nothing without one). */
export function technicalDetails(detail: string | null | undefined): TemplateResult | typeof nothing {
  if (!detail) return nothing;
  return html`<details data-testid="notice-detail">
    <summary>Technical details</summary>
    <pre style="white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.3rem 0 0">${detail}</pre>
  </details>`;
}

export function noticeView(notice: Notice | null, testId: string, busy: boolean): TemplateResult | typeof nothing {
  if (!notice) return nothing;
  const retries = notice.retries ?? [];
  return html`<div class="notice" data-tone=${notice.tone} role=${notice.tone === 'error' ? 'alert' : nothing} data-testid=${testId}>
      <span class="notice-text">${notice.text}</span>
      ${technicalDetails(notice.detail)}
    </div>
    ${
      retries.length > 0
        ? html`<div class="notice-actions">
            ${retries.map((r) => html`<button data-testid="retry-run" ?disabled=${busy} @click=${r.run}>${r.label}</button>`)}
          </div>`
        : nothing
    }`;
}
