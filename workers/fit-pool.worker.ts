/** A fit pool worker (fit-pool.ts): a thin Comlink adapter over fitPoolApi. */
import * as Comlink from 'comlink';
import { fitPoolApi } from './fit-pool-api';
import { holdLifeline } from './worker-lifeline';

Comlink.expose(fitPoolApi());
// Tells the page when this worker ends, even without an error event (see worker-lifeline.ts).
holdLifeline(self);
