import * as Comlink from 'comlink';
import { holdLifeline } from './worker-lifeline';
import { ingestFile } from '../src/data/ingest-file';
import { packIngestResult, type PackedIngestResult, transferablesOf } from '../src/store/packed-dataset';

const api = {
  async ingestFile(file: Blob, fileName: string, onProgress: (fraction: number) => void): Promise<PackedIngestResult> {
    let last = 0;
    const result = await ingestFile(file, fileName, (fraction) => {
      if (fraction - last >= 0.02 || fraction === 1) {
        last = fraction;
        onProgress(fraction);
      }
    });
    // The page gets columns (moved, not copied) and the fingerprint, computed here once: see packed-dataset.ts.
    const packed = packIngestResult(result);
    return Comlink.transfer(packed, transferablesOf(packed));
  },
};

export type IngestWorkerApi = typeof api;

Comlink.expose(api);
// Tells the page when this worker ends, even without an error event (see worker-lifeline.ts).
holdLifeline(self);
