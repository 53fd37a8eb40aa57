import * as Comlink from 'comlink';
import { ingestText } from '../src/data/ingest';
import type { IngestResult } from '../src/data/types';

const api = {
  async ingestFile(file: Blob, fileName: string, onProgress: (fraction: number) => void): Promise<IngestResult> {
    const text = await file.text();
    let last = 0;
    return ingestText(text, fileName, (fraction) => {
      if (fraction - last >= 0.02 || fraction === 1) {
        last = fraction;
        onProgress(fraction);
      }
    });
  },
};

export type IngestWorkerApi = typeof api;

Comlink.expose(api);
