/**
 * The stored dataset that is the bundled demo data: one with the demo's content, compared by
 * fingerprint (src/data/fingerprint.ts) — not by file name and size, which a user's own file can share.
 * The demo's fingerprint comes from reading the demo file the way every file is read (in the ingest
 * worker), once per page.
 */
import type { DatasetMeta } from '../../store/datasets';
import { ingestInWorker } from '../../../workers/ingest-client';
import { DEMO_DATA_URL } from '../dataset-library-controller';

const DEMO_FILE_NAME = DEMO_DATA_URL.slice(DEMO_DATA_URL.lastIndexOf('/') + 1);
let demoPrint: Promise<string> | null = null;

/** The demo data's fingerprint (read once; asked again after a failure). */
export function demoFingerprint(): Promise<string> {
  demoPrint ??= (async () => {
    const response = await fetch(DEMO_DATA_URL);
    if (!response.ok) throw new Error(`The demo data could not be loaded (HTTP ${response.status}).`);
    const result = await ingestInWorker(await response.blob(), DEMO_FILE_NAME, () => undefined);
    if (!result.ok) throw new Error('The demo data could not be read. Reload the page and try again.');
    return result.fingerprint;
  })().catch((error: unknown) => {
    demoPrint = null;
    throw error;
  });
  return demoPrint;
}

export async function isDemoEntry(meta: DatasetMeta): Promise<boolean> {
  return meta.fingerprint === (await demoFingerprint());
}

/** The first stored dataset that is the demo, if any. */
export async function findDemoEntry(datasets: readonly DatasetMeta[]): Promise<DatasetMeta | undefined> {
  for (const meta of datasets) if (await isDemoEntry(meta)) return meta;
  return undefined;
}
