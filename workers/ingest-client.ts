import * as Comlink from 'comlink';
import type { PackedIngestResult } from '../src/store/packed-dataset';
import type { IngestWorkerApi } from './ingest.worker';
import { WorkerSession } from './worker-session';

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
): Promise<PackedIngestResult> {
  const session = new WorkerSession<IngestWorkerApi>(
    () => new Worker(new URL('./ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' }),
    { work: 'Reading the file', advice: 'Nothing was stored; try again, or check that the file is a CSV table.' },
  );
  const abort = (): void => session.cancel(new IngestCancelledError());
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const result = session.run<PackedIngestResult>((api) => api.ingestFile(file, fileName, Comlink.proxy(onProgress)));
    if (signal?.aborted) abort();
    return await result;
  } finally {
    signal?.removeEventListener('abort', abort);
    session.terminate();
  }
}
