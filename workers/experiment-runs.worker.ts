import * as Comlink from 'comlink';
import { runsApi } from './experiments-api';
import { holdLifeline } from './worker-lifeline';

// One training run of an experiment per call (an ablation cell, a claims pair), for the experiments worker's pool.
Comlink.expose(runsApi);
// Tells the experiments worker when this worker ends, even without an error event (see worker-lifeline.ts).
holdLifeline(self);
