/**
 * A sub-worker of the quantum layer's batch, a thin adapter: it receives the shared buffers and its slot, says it
 * is ready, then serves its ranges of samples until told to stop (src/quantum/batch/shared-batch.ts). It blocks in
 * Atomics.wait between jobs, so it takes no further messages; it loads no TF.js. Started by qnn-threads.ts.
 */
import { serveSharedBatch, type SharedBatchBuffers } from '../src/quantum/batch/shared-batch';

self.onmessage = (event: MessageEvent<{ buffers: SharedBatchBuffers; slot: number }>) => {
  self.postMessage('ready');
  serveSharedBatch(event.data.buffers, event.data.slot);
};
