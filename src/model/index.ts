/**
 * Models and training: layers over explicit variables, the seven encoders, heads, PK/PD modes,
 * AdamW training with early stopping, evaluation and versioned model documents. Pure TypeScript
 * over tfjs-core (no DOM): runs in Node tests and in a Web Worker. The caller picks the TF.js
 * backend; importing this module registers the quantum layer's kernels and all gradients.
 */
export * from './errors';
export * from './random';
export * from './parameters';
export * from './layers';
export * from './quantum-block';
export * from './moe-block';
export * from './row-routing';
export * from './encoders';
export * from './network';
export * from './adamw';
export * from './predict';
export * from './train-network';
export * from './metrics';
export * from './pkpd-model';
export * from './train-pkpd';
export * from './serialize';
