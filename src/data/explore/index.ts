/** Pure derivations behind the data explorer (Figure 1). */
export * from './arms';
export * from './bw-by-arm';
export * from './comed-by-arm';
export * from './covariate-lookup';
export * from './explorer-model';
export * from './hysteresis';
export * from './individual-series';
export * from './mean-curves';
export * from './observations';
export * from './subject-series';
export * from './subject-summaries';
export * from './summary';
export * from './thresholds';
export * from './time-grouping';
