/** The browser refused to store more data. Nothing was written. */
export class StorageQuotaError extends Error {
  constructor(what: string, detail: string) {
    super(
      `Not enough browser storage to save ${what}${detail}. Nothing was saved and your stored items are unchanged. ` +
        'Delete datasets or models you no longer need, or free disk space, then try again.',
    );
    this.name = 'StorageQuotaError';
  }
}

/** The stored data were written by a newer version of the app than this page. */
export class StorageVersionError extends Error {
  constructor() {
    super('Your stored data were saved by a newer version of QPKPD Studio. Reload the page to get that version.');
    this.name = 'StorageVersionError';
  }
}

/** Stored data of an earlier version could not be converted for this one; the upgrade was undone. */
export class StorageUpgradeError extends Error {
  constructor(cause: unknown) {
    super(
      'Your stored datasets and models could not be brought up to this version of QPKPD Studio, so they were left as they were. ' +
        'Reload the page to try again; if it keeps failing, export the models you need from a page of the earlier version.',
      { cause },
    );
    this.name = 'StorageUpgradeError';
  }
}

/** Stored data that cannot be read or deleted as asked (damaged, or refused by the browser); the message says what to do. */
export class StoredDataError extends Error {
  override readonly name = 'StoredDataError';
}

export class StoredItemMissingError extends Error {
  constructor(kind: string, id: string) {
    super(`The ${kind} ${id} is no longer stored (deleted in another tab?). Reload the list.`);
    this.name = 'StoredItemMissingError';
  }
}

export function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);
}
