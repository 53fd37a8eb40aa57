/** A fit was stopped through its cancel signal (e.g. the user pressed Stop). */
export class FitCancelledError extends Error {
  override readonly name = 'FitCancelledError';
  constructor() {
    super('The model fit was cancelled before it finished; start it again to get estimates.');
  }
}

/** The data cannot support the requested model (no observations of the needed type, bad covariates, …). */
export class PkpdDataError extends Error {
  override readonly name = 'PkpdDataError';
}

/** A parameter value is outside its valid range (negative clearance, Imax ≥ 1, …). */
export class PkpdParameterError extends Error {
  override readonly name = 'PkpdParameterError';
}
