/**
 * The stored dataset that is the bundled demo data: one loaded from a file with the demo file's
 * name and size. A user's file under another name (even with the demo's content) is not the demo.
 */
import type { DatasetMeta } from '../../store/datasets';
import { DEMO_DATA_URL } from '../dataset-library-controller';

const DEMO_FILE_NAME = DEMO_DATA_URL.slice(DEMO_DATA_URL.lastIndexOf('/') + 1);
let demoSize: Promise<number> | null = null;

/** The demo file's size in bytes (fetched once; asked again after a failure). */
function demoFileSize(): Promise<number> {
  demoSize ??= fetch(DEMO_DATA_URL)
    .then(async (response) => {
      if (!response.ok) throw new Error(`The demo data could not be loaded (HTTP ${response.status}).`);
      return (await response.blob()).size;
    })
    .catch((error: unknown) => {
      demoSize = null;
      throw error;
    });
  return demoSize;
}

export async function isDemoEntry(meta: DatasetMeta): Promise<boolean> {
  return meta.fileName === DEMO_FILE_NAME && meta.fileSize === (await demoFileSize());
}

/** The first stored dataset that is the demo, if any. */
export async function findDemoEntry(datasets: readonly DatasetMeta[]): Promise<DatasetMeta | undefined> {
  for (const meta of datasets) if (await isDemoEntry(meta)) return meta;
  return undefined;
}
