import type { EventRecords } from './types';

/** Zero-filled event records for `n` rows, one typed column per field. */
export function emptyEventRecords(n: number): EventRecords {
  return {
    subject: new Int32Array(n),
    time: new Float64Array(n),
    dv: new Float64Array(n),
    evid: new Uint8Array(n),
    mdv: new Uint8Array(n),
    amt: new Float64Array(n),
    cmt: new Float64Array(n),
    dvid: new Uint8Array(n),
    sourceLine: new Int32Array(n),
  };
}
