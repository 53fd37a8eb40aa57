import * as Comlink from 'comlink';
import type { DatasetMeta, NewPackedDataset } from '../src/store/datasets';
import { packedBuffers, type PackedDataset } from '../src/store/packed-dataset';
import type { ExplorerDisplay } from '../src/ui/explorer/explorer-display';
import type { ExploreWorkerApi, OpenedPackedDataset } from './explore.worker';
import { WorkerSession } from './worker-session';

/**
 * The page's dataset worker (explore.worker.ts), started on first use and kept. A call fails with
 * WorkerCrashedError if the worker dies; the next call starts a fresh one.
 */
export class ExploreClient {
  private readonly session = new WorkerSession<ExploreWorkerApi>(
    () => new Worker(new URL('./explore.worker.ts', import.meta.url), { type: 'module', name: 'explore' }),
    {
      work: 'Storing, reading or drawing the dataset',
      advice: 'Load or open the dataset again to retry; what was stored before is unchanged.',
    },
  );

  /** Stores a packed dataset; its buffers move to the worker and back (the item's own are then empty). */
  store(item: NewPackedDataset): Promise<{ meta: DatasetMeta; dataset: PackedDataset }> {
    return this.session.run((api) => api.store(Comlink.transfer(item, packedBuffers(item.dataset))));
  }

  /** A stored dataset, packed, with its metadata. */
  open(id: string): Promise<OpenedPackedDataset> {
    return this.session.run((api) => api.open(id));
  }

  /** The explorer's model of the stored dataset `datasetId`, thinned for drawing. */
  display(datasetId: string): Promise<ExplorerDisplay> {
    return this.session.run((api) => api.display(datasetId));
  }

  terminate(): void {
    this.session.terminate();
  }
}

/** The page's dataset worker. */
export const exploreClient = new ExploreClient();
