export * from './split';
export * from './view';
export { mulberry32, shuffled } from './prng';
