/** Pure derivations behind the data explorer, read through a study spec. */
export * from './arms';
export * from './covariate-lookup';
export * from './covariates-by-group';
export * from './explorer-model';
export * from './groups';
export * from './hysteresis';
export * from './individual-series';
export * from './mean-curves';
export * from './observations';
export * from './subject-series';
export * from './subject-summaries';
export * from './summary';
export * from './time-grouping';
