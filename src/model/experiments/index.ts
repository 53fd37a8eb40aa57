/** Experiments over trained models: the qubits × layers ablation and the claims check against width-matched controls. */
export * from './ablation';
export * from './claims';
export * from './epochs-to-reach';
export * from './experiment-run';
export * from './independent-runs';
export * from './inference-timing';
export * from './progress';
export * from './quantum-encoders';
export * from './split-choice';
export * from './verdicts';
