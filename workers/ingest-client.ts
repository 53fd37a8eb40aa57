import * as Comlink from 'comlink';
import type { IngestResult } from '../src/data/types';
import type { IngestWorkerApi } from './ingest.worker';

export class IngestCancelledError extends Error {
  constructor() {
    super('Loading was cancelled.');
    this.name = 'IngestCancelledError';
  }
}

/** Parses and validates a file in a dedicated worker; aborting terminates the worker. */
export async function ingestInWorker(
  file: Blob,
  fileName: string,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<IngestResult> {
  const worker = new Worker(new URL('./ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' });
  const api = Comlink.wrap<IngestWorkerApi>(worker);
  const aborted = new Promise<never>((_, reject) => {
    const abort = (): void => reject(new IngestCancelledError());
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
  });
  const crashed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => reject(new Error(`The file reader stopped unexpectedly: ${event.message}`)), {
      once: true,
    });
  });
  try {
    return await Promise.race([api.ingestFile(file, fileName, Comlink.proxy(onProgress)), aborted, crashed]);
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}
