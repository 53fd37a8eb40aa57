import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DataIssue } from '../data/types';
import { rememberFingerprint } from '../data/fingerprint';
import {
  deleteDataset,
  type DatasetMeta,
  type DatasetStudy,
  listDatasets,
  rememberedStudy,
  renameDataset,
  type StoredDataset,
} from '../store/datasets';
import { headerSignature } from '../study/guess-spec';
import { rememberStoredId } from '../store/dataset-source';
import { uniqueName } from '../store/names';
import { unpackDataset } from '../store/packed-dataset';
import { exploreClient } from '../../workers/explore-client';
import { requestPersistentStorage } from '../store/persistence';
import { onStoreChange } from '../store/store-changes';
import { IngestCancelledError, ingestInWorker } from '../../workers/ingest-client';
import { isWorkerLost } from '../../workers/worker-session';
import { baseName } from './format';
import { describeError } from './run-notice';

export interface IngestProgress {
  fileName: string;
  fraction: number;
}

export interface IngestReport {
  fileName: string;
  accepted: boolean;
  errors: DataIssue[];
  warnings: DataIssue[];
  omittedErrors: number;
}

export const DEMO_DATA_URL = `${import.meta.env.BASE_URL}demo/EstData.csv`;

export interface ImportOptions {
  /** Open a stored dataset with the same content (fingerprint) instead of storing a second copy. */
  reuseStoredCopy?: boolean;
}

/**
 * State and actions of the stored dataset library: import, list, open, rename, delete. Datasets are
 * stored and read through the dataset worker (workers/explore-client.ts): IndexedDB copies a value on
 * the thread that writes or reads it, too long for the page's main thread with a large file.
 */
export class DatasetLibraryController implements ReactiveController {
  datasets: DatasetMeta[] = [];
  active?: { meta: DatasetMeta; stored: StoredDataset };
  progress?: IngestProgress;
  report?: IngestReport;
  /** A problem with storage or loading, in words a user can act on. */
  problem?: string;
  /** An unexpected error's technical text, shown folded under the problem. */
  problemDetail?: string;
  /** After the ingest worker crashed or ended without a word: reads the same file again (the problem's Retry button). */
  retry?: () => void;
  /** What changed without the user asking here (the open dataset was deleted in another tab), until the next action. */
  notice?: string;
  private abortController?: AbortController;
  /** Counts `open` calls: only the latest one's dataset is shown. */
  private openRequest = 0;
  /** Datasets being deleted here: their disappearance from the list is no news to the user. */
  private readonly deleting = new Set<string>();
  private unsubscribe?: () => void;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    // Datasets are stored, renamed and deleted in other tabs too.
    this.unsubscribe = onStoreChange('datasets', () => void this.refresh());
    void this.refresh();
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
  }

  /**
   * Reads the list again (and the open dataset's name); closes the open dataset, with a notice, when
   * it is no longer stored (deleted in another tab). A problem shown stays until the next action.
   */
  async refresh(): Promise<void> {
    try {
      const opened = this.active;
      const datasets = await listDatasets();
      this.datasets = datasets;
      // `active` may have changed while the list was read (a dataset just opened or stored here).
      if (this.active !== opened || !opened) return;
      const meta = datasets.find((d) => d.id === opened.meta.id);
      if (meta) this.active = { ...opened, meta };
      else if (!this.deleting.has(opened.meta.id)) {
        this.active = undefined;
        this.notice = `The dataset “${opened.meta.name}” was deleted in another tab, so it was closed here.`;
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.host.requestUpdate();
    }
  }

  async importFile(file: Blob, fileName: string, options: ImportOptions = {}): Promise<void> {
    this.abortController?.abort();
    const abort = new AbortController();
    this.abortController = abort;
    this.problem = this.problemDetail = undefined;
    this.retry = undefined;
    this.notice = undefined;
    this.report = undefined;
    this.progress = { fileName, fraction: 0 };
    this.host.requestUpdate();
    try {
      const result = await ingestInWorker(
        file,
        fileName,
        (fraction) => {
          if (this.progress) this.progress = { fileName, fraction };
          this.host.requestUpdate();
        },
        abort.signal,
      );
      if (!result.ok) {
        this.report = { fileName, accepted: false, errors: result.errors, warnings: result.warnings, omittedErrors: result.omittedErrors };
        return;
      }
      const stored = await listDatasets();
      const copy = options.reuseStoredCopy ? stored.find((d) => d.fingerprint === result.fingerprint) : undefined;
      if (copy) {
        this.datasets = stored;
        this.active = await openStored(copy.id);
        return;
      }
      const name = uniqueName(
        baseName(fileName),
        stored.map((d) => d.name),
      );
      const study = await this.studyFor(result.study, result.dataset.format.columns);
      const saved = await exploreClient.store({
        name,
        fileSize: file.size,
        dataset: result.dataset,
        fingerprint: result.fingerprint,
        warnings: result.warnings,
        study,
      });
      const meta = saved.meta;
      const dataset = unpackDataset(saved.dataset);
      rememberFingerprint(dataset, meta.fingerprint);
      rememberStoredId(dataset, meta.id);
      void requestPersistentStorage();
      this.report = result.warnings.length
        ? { fileName, accepted: true, errors: [], warnings: result.warnings, omittedErrors: 0 }
        : undefined;
      this.datasets = await listDatasets();
      this.active = { meta, stored: { id: meta.id, dataset, warnings: result.warnings } };
    } catch (error) {
      if (error instanceof IngestCancelledError) this.problem = `Loading ${fileName} was cancelled; nothing was stored.`;
      else this.fail(error);
      if (isWorkerLost(error)) this.retry = () => void this.importFile(file, fileName, options);
    } finally {
      if (this.abortController === abort) {
        this.progress = undefined;
        this.abortController = undefined;
      }
      this.host.requestUpdate();
    }
  }

  /**
   * The study a new file is stored with: the demo's preset as proposed; otherwise the spec last
   * confirmed for files with the same header, when there is one, else the guess — either to be confirmed.
   */
  private async studyFor(proposed: DatasetStudy, columns: readonly string[]): Promise<DatasetStudy> {
    if (proposed.source === 'preset') return proposed;
    // A store that cannot be read here offers no remembered spec: the guess is checked by the user anyway.
    const remembered = await rememberedStudy(headerSignature(columns)).catch(() => undefined);
    return remembered ? { spec: remembered, source: 'remembered', confirmed: false, updatedAt: Date.now() } : proposed;
  }

  /** A study spec was stored for a dataset (confirmed, edited or imported): show its new metadata. */
  studySaved(meta: DatasetMeta): void {
    this.datasets = this.datasets.map((d) => (d.id === meta.id ? meta : d));
    if (this.active?.meta.id === meta.id) this.active = { ...this.active, meta };
    this.host.requestUpdate();
  }

  /** Loads the demo data; when a stored dataset holds the same data (by fingerprint), opens that one instead. */
  async importDemo(): Promise<void> {
    await this.attempt(async () => {
      const response = await fetch(DEMO_DATA_URL);
      if (!response.ok) {
        this.problem = `The demo data could not be loaded (HTTP ${response.status}). Reload the page and try again.`;
        return;
      }
      await this.importFile(await response.blob(), 'EstData.csv', { reuseStoredCopy: true });
    });
  }

  cancelImport(): void {
    this.abortController?.abort();
  }

  async open(id: string): Promise<void> {
    await this.attempt(async () => {
      if (!this.datasets.some((d) => d.id === id)) return;
      const request = ++this.openRequest;
      const opened = await openStored(id);
      // Another dataset chosen meanwhile wins.
      if (request !== this.openRequest) return;
      this.active = opened;
      this.report = undefined;
    });
  }

  async rename(id: string, name: string): Promise<void> {
    await this.attempt(async () => {
      const renamed = await renameDataset(id, name);
      this.datasets = this.datasets.map((d) => (d.id === id ? renamed : d));
      if (this.active?.meta.id === id) this.active = { ...this.active, meta: renamed };
    });
  }

  async remove(id: string): Promise<void> {
    await this.attempt(async () => {
      this.deleting.add(id);
      try {
        await deleteDataset(id);
      } finally {
        this.deleting.delete(id);
      }
      this.datasets = this.datasets.filter((d) => d.id !== id);
      if (this.active?.meta.id === id) this.active = undefined;
    });
  }

  dismissReport(): void {
    this.report = undefined;
    this.host.requestUpdate();
  }

  dismissNotice(): void {
    this.notice = undefined;
    this.host.requestUpdate();
  }

  /** Shows a failure: its message when written for users, else the unexpected-error text with its technical text folded. */
  private fail(error: unknown): void {
    const { text, detail } = describeError(error);
    this.problem = text;
    this.problemDetail = detail ?? undefined;
  }

  private async attempt(action: () => Promise<void>): Promise<void> {
    try {
      this.problem = this.problemDetail = undefined;
      this.retry = undefined;
      this.notice = undefined;
      await action();
    } catch (error) {
      this.fail(error);
    } finally {
      this.host.requestUpdate();
    }
  }
}

/** A stored dataset read by the dataset worker, unpacked here (a plain loop), its fingerprint remembered. */
async function openStored(id: string): Promise<{ meta: DatasetMeta; stored: StoredDataset }> {
  const { meta, stored } = await exploreClient.open(id);
  const dataset = unpackDataset(stored.dataset);
  rememberFingerprint(dataset, meta.fingerprint);
  rememberStoredId(dataset, id);
  return { meta, stored: { id, dataset, warnings: stored.warnings } };
}
