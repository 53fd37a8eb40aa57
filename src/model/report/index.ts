/** Model reports: a trained model's predictions on a set of subjects as plain, cloneable data. */
export * from './types';
export * from './build';
