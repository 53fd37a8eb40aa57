/** Errors of the model code, with messages a user can act on. */
export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError';
}

export class ModelDataError extends Error {
  override readonly name = 'ModelDataError';
}

export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
}
