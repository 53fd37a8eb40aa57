/**
 * The page's dataset worker: it stores and reads datasets in IndexedDB and derives the data
 * explorer's plots, so that none of that work blocks the page. IndexedDB copies every value on the
 * thread that writes or reads it (a tenth of a second and more for a 50 MB file's columns), and
 * deriving the explorer's model of a million rows takes seconds. Datasets travel to and from the
 * page as packed columns whose buffers are moved, not copied (src/store/packed-dataset.ts).
 */
import * as Comlink from 'comlink';
import {
  type DatasetMeta,
  loadDataset,
  loadPackedDataset,
  type NewPackedDataset,
  savePackedDataset,
  type StoredPackedDataset,
} from '../src/store/datasets';
import { packedBuffers } from '../src/store/packed-dataset';
import { type StudyFacts, studyFacts } from '../src/study/guess-spec';
import { bindStudy, StudyDataError } from '../src/study/study-data';
import type { StudySpec } from '../src/study/study-spec';
import type { SpecProblem } from '../src/study/study-spec-reader';
import type { Dataset } from '../src/data/types';
import { explorerDisplay, type ExplorerDisplay } from '../src/ui/explorer/explorer-display';
import { holdLifeline } from './worker-lifeline';

/** The dataset last read and the explorer display last derived (the page asks again when a view is drawn anew). */
let lastData: { id: string; dataset: Promise<Dataset> } | null = null;
let last: { key: string; display: Promise<ExplorerDisplay> } | null = null;

/** A stored dataset, read once for the questions asked about it one after another. */
function dataOf(id: string): Promise<Dataset> {
  if (lastData?.id !== id) {
    const dataset = loadDataset(id).then((stored) => stored.dataset);
    lastData = { id, dataset };
    dataset.catch(() => {
      if (lastData?.dataset === dataset) lastData = null;
    });
  }
  return lastData.dataset;
}

export interface OpenedPackedDataset {
  meta: DatasetMeta;
  stored: StoredPackedDataset;
}

const api = {
  /** Stores a dataset the page moved here and moves it back, with its metadata. */
  async store(item: NewPackedDataset): Promise<{ meta: DatasetMeta; dataset: NewPackedDataset['dataset'] }> {
    const meta = await savePackedDataset(item);
    return Comlink.transfer({ meta, dataset: item.dataset }, packedBuffers(item.dataset));
  },

  /** A stored dataset, packed, moved to the page. */
  async open(id: string): Promise<OpenedPackedDataset> {
    const opened = await loadPackedDataset(id);
    return Comlink.transfer(opened, packedBuffers(opened.stored.dataset));
  },

  /** The explorer's model of a stored dataset read through its study spec, thinned for drawing (the worker reads the dataset itself). */
  display(id: string, spec: StudySpec): Promise<ExplorerDisplay> {
    const key = `${id}\n${JSON.stringify(spec)}`;
    if (last?.key !== key) {
      const display = dataOf(id).then((dataset) => explorerDisplay(dataset, spec));
      last = { key, display };
      display.catch(() => {
        if (last?.display === display) last = null;
      });
    }
    return last.display;
  },

  /** What the study settings show about a stored dataset (observation types, doses, covariates). */
  async studyFacts(id: string): Promise<StudyFacts> {
    return studyFacts(await dataOf(id));
  },

  /**
   * Whether the data can be read through a spec that passed the validator (the study binding: endpoints
   * with observations, covariate values an effect needs, routes that fit the doses): the problem, naming
   * the spec's field, or null.
   */
  async checkStudy(id: string, spec: StudySpec): Promise<SpecProblem | null> {
    const dataset = await dataOf(id);
    try {
      bindStudy(dataset, spec);
      return null;
    } catch (error) {
      if (error instanceof StudyDataError) return { path: error.field, message: error.message };
      throw error;
    }
  },
};

export type ExploreWorkerApi = typeof api;

Comlink.expose(api);
// Tells the page when this worker ends, even without an error event (see worker-lifeline.ts).
holdLifeline(self);
