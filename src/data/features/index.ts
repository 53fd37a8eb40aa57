export * from './spec';
export * from './history';
export * from './rates';
export * from './model';
export * from './dataset-features';
export * from './regimen';
export * from './scaler';
export { readSubjectRecords, type SubjectRecords } from './subject-records';
