/** A Node worker thread serving one slot of a shared batch (shared-batch.test.ts): the sub-worker's side as a browser worker runs it. */
import { parentPort, workerData } from 'node:worker_threads';
import { serveSharedBatch, type SharedBatchBuffers } from '../shared-batch';

const { buffers, slot } = workerData as { buffers: SharedBatchBuffers; slot: number };
parentPort?.postMessage('ready');
serveSharedBatch(buffers, slot);
