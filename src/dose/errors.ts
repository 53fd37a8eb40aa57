/** The dose search was stopped through its cancel signal (e.g. the user pressed Stop). */
export class DoseSearchCancelledError extends Error {
  override readonly name = 'DoseSearchCancelledError';
  constructor() {
    super('The dose search was cancelled before it finished; start it again to get dose answers.');
  }
}

/** A setting of the dose search is out of range (negative dose step, target outside (0, 1], …). */
export class DoseSettingsError extends Error {
  override readonly name = 'DoseSettingsError';
}
