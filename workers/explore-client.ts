import * as Comlink from 'comlink';
import type { DatasetMeta, NewPackedDataset } from '../src/store/datasets';
import { packedBuffers, type PackedDataset } from '../src/store/packed-dataset';
import type { StudyFacts } from '../src/study/guess-spec';
import type { StudySpec } from '../src/study/study-spec';
import type { SpecProblem } from '../src/study/study-spec-reader';
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

  /** The explorer's model of the stored dataset `datasetId` read through `spec`, thinned for drawing. */
  display(datasetId: string, spec: StudySpec): Promise<ExplorerDisplay> {
    return this.session.run((api) => api.display(datasetId, spec));
  }

  /** What the study settings show about the stored dataset `datasetId`. */
  studyFacts(datasetId: string): Promise<StudyFacts> {
    return this.session.run((api) => api.studyFacts(datasetId));
  }

  /** The problem of reading the stored dataset `datasetId` through `spec` (naming the spec's field), or null. */
  checkStudy(datasetId: string, spec: StudySpec): Promise<SpecProblem | null> {
    return this.session.run((api) => api.checkStudy(datasetId, spec));
  }

  terminate(): void {
    this.session.terminate();
  }
}

/** The page's dataset worker. */
export const exploreClient = new ExploreClient();
