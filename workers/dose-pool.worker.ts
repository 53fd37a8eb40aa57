/**
 * A worker of the dose pool (workers/dose-pool.ts): runs the dose questions' jobs — a range of virtual
 * subjects, or one uncertainty replicate (src/dose/dose-pool.ts) — a thin adapter.
 */
import * as Comlink from 'comlink';
import { dosePoolApi } from './dose-pool-api';
import { holdLifeline } from './worker-lifeline';

Comlink.expose(dosePoolApi());
// Tells the pool when this worker ends, even without an error event (see worker-lifeline.ts).
holdLifeline(self);
