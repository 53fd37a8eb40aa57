import { openDB, type IDBPDatabase } from 'idb';
import { StorageUpgradeError, StorageVersionError } from './errors';
import { DATABASE_NAME, MIGRATIONS, runMigrations, SCHEMA_VERSION, type StudioSchema } from './schema';

let opening: Promise<IDBPDatabase<StudioSchema>> | undefined;

/** Opens (once per page) the app's database at the current schema version. */
export function openStudioDatabase(): Promise<IDBPDatabase<StudioSchema>> {
  let upgradeFailure: unknown = null;
  opening ??= openDB<StudioSchema>(DATABASE_NAME, SCHEMA_VERSION, {
    upgrade: (db, oldVersion, _newVersion, transaction) => {
      // A step that fails aborts the upgrade: the open then fails, and says why below.
      runMigrations(MIGRATIONS, db, oldVersion, transaction)?.catch((error: unknown) => (upgradeFailure = error ?? 'unknown'));
    },
    blocking: (_current, _blocked, event) => {
      // Another tab needs a newer schema: let it proceed; this tab reopens on next use.
      (event.target as IDBDatabase).close();
      opening = undefined;
    },
    terminated: () => {
      opening = undefined;
    },
  }).catch((error: unknown) => {
    opening = undefined;
    if (error instanceof DOMException && error.name === 'VersionError') throw new StorageVersionError();
    if (upgradeFailure !== null) throw new StorageUpgradeError(upgradeFailure);
    throw error;
  });
  return opening;
}

/** Closes the connection; the next call reopens it. */
export async function closeStudioDatabase(): Promise<void> {
  const pending = opening;
  opening = undefined;
  if (pending) (await pending).close();
}
