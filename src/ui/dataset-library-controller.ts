import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DataIssue } from '../data/types';
import {
  deleteDataset,
  listDatasets,
  loadDataset,
  renameDataset,
  saveDataset,
  type DatasetMeta,
  type StoredDataset,
} from '../store/datasets';
import { requestPersistentStorage } from '../store/persistence';
import { onStoreChange } from '../store/store-changes';
import { IngestCancelledError, ingestInWorker } from '../../workers/ingest-client';
import { uniqueName } from '../store/unique-name';
import { baseName } from './format';

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

/** State and actions of the stored dataset library: import, list, open, rename, delete. */
export class DatasetLibraryController implements ReactiveController {
  datasets: DatasetMeta[] = [];
  active?: { meta: DatasetMeta; stored: StoredDataset };
  progress?: IngestProgress;
  report?: IngestReport;
  /** A problem with storage or loading, in words a user can act on. */
  problem?: string;
  private abortController?: AbortController;
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

  /** Reads the list again (and the open dataset's name); a problem shown stays until the next action. */
  async refresh(): Promise<void> {
    try {
      this.datasets = await listDatasets();
      const meta = this.datasets.find((d) => d.id === this.active?.meta.id);
      if (this.active && meta) this.active = { ...this.active, meta };
    } catch (error) {
      this.problem = messageOf(error);
    } finally {
      this.host.requestUpdate();
    }
  }

  async importFile(file: Blob, fileName: string): Promise<void> {
    this.abortController?.abort();
    const abort = new AbortController();
    this.abortController = abort;
    this.problem = undefined;
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
      const name = uniqueName(
        baseName(fileName),
        this.datasets.map((d) => d.name),
      );
      const meta = await saveDataset({ name, fileSize: file.size, dataset: result.dataset, warnings: result.warnings });
      void requestPersistentStorage();
      this.report = result.warnings.length
        ? { fileName, accepted: true, errors: [], warnings: result.warnings, omittedErrors: 0 }
        : undefined;
      this.datasets = await listDatasets();
      this.active = { meta, stored: { id: meta.id, dataset: result.dataset, warnings: result.warnings } };
    } catch (error) {
      this.problem = error instanceof IngestCancelledError ? `Loading ${fileName} was cancelled; nothing was stored.` : messageOf(error);
    } finally {
      if (this.abortController === abort) {
        this.progress = undefined;
        this.abortController = undefined;
      }
      this.host.requestUpdate();
    }
  }

  async importDemo(): Promise<void> {
    await this.attempt(async () => {
      const response = await fetch(DEMO_DATA_URL);
      if (!response.ok) throw new Error(`The demo data could not be loaded (HTTP ${response.status}). Reload the page and try again.`);
      await this.importFile(await response.blob(), 'EstData.csv');
    });
  }

  cancelImport(): void {
    this.abortController?.abort();
  }

  async open(id: string): Promise<void> {
    await this.attempt(async () => {
      const meta = this.datasets.find((d) => d.id === id);
      if (!meta) return;
      this.active = { meta, stored: await loadDataset(id) };
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
      await deleteDataset(id);
      this.datasets = this.datasets.filter((d) => d.id !== id);
      if (this.active?.meta.id === id) this.active = undefined;
    });
  }

  dismissReport(): void {
    this.report = undefined;
    this.host.requestUpdate();
  }

  private async attempt(action: () => Promise<void>): Promise<void> {
    try {
      this.problem = undefined;
      await action();
    } catch (error) {
      this.problem = messageOf(error);
    } finally {
      this.host.requestUpdate();
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
