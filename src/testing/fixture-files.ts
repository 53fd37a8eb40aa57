/**
 * The data files tests and benchmarks read, all inside this repository: the demo dataset the app
 * ships (`public/demo/EstData.csv`) and the fixtures in `test-data/` (provenance and licences in
 * `test-data/README.md`). Node only.
 */
import { readFileSync } from 'node:fs';

const repositoryFile = (path: string): URL => new URL(`../../${path}`, import.meta.url);

/** The challenge dataset, exactly as the app ships it as its demo data. */
export const ESTDATA_PATH = repositoryFile('public/demo/EstData.csv');

/** The study spec of the demo data (the EstData preset), shipped beside it. */
export const ESTDATA_STUDY_PATH = repositoryFile('public/demo/EstData.study.json');

/** Independent float64 reference vectors of the quantum layer (see test-data/README.md). */
export const QNN_REFERENCE_PATH = repositoryFile('test-data/qnn-reference.json');

/** Real public datasets in other layouts (see test-data/README.md). */
export type RealDatasetName = 'theo_sd' | 'pheno_sd' | 'mavoglurant';

export function realDatasetPath(name: RealDatasetName): URL {
  return repositoryFile(`test-data/real/${name}.csv`);
}

export function readEstDataCsv(): string {
  return readFileSync(ESTDATA_PATH, 'utf8');
}

export function readQnnReferenceText(): string {
  return readFileSync(QNN_REFERENCE_PATH, 'utf8');
}

export function readRealDatasetCsv(name: RealDatasetName): string {
  return readFileSync(realDatasetPath(name), 'utf8');
}

export function readEstDataStudyText(): string {
  return readFileSync(ESTDATA_STUDY_PATH, 'utf8');
}
