import * as Comlink from 'comlink';
import { poolSize, poolWorkerName } from '../src/platform/threads';
import { experimentsApi } from './experiments-api';
import { holdLifeline } from './worker-lifeline';

Comlink.expose(
  experimentsApi({
    poolSize,
    // A nested worker per pool slot (Chromium and Firefox start workers from workers), one TF.js thread each.
    startRunWorker: () =>
      new Worker(new URL('./experiment-runs.worker.ts', import.meta.url), { type: 'module', name: poolWorkerName('experiment run') }),
  }),
);
// Tells the page when this worker ends, even without an error event (see worker-lifeline.ts).
holdLifeline(self);
