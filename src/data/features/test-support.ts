/** Helpers shared by the feature and split tests (not used by the app). */
import { ingestText } from '../ingest';
import type { Dataset } from '../types';
import { readFileSync } from 'node:fs';
import { readEstDataCsv, readEstDataStudyText, readRealDatasetCsv, type RealDatasetName } from '../../testing/fixture-files';
import { describeSpecProblems, readStudySpecText } from '../../study/study-spec-reader';
import type { StudySpec } from '../../study/study-spec';
import { mulberry32 } from '../splits/prng';
import { type StudyFeatureOptions, studyFeatureOptions } from './study-features';

export function csvDataset(lines: readonly string[], fileName = 'trial.csv'): Dataset {
  const result = ingestText(lines.join('\n'), fileName);
  if (!result.ok) throw new Error(`test dataset rejected: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.dataset;
}

let estData: Dataset | undefined;
export function loadEstData(): Dataset {
  estData ??= csvDataset([readEstDataCsv()], 'EstData.csv');
  return estData;
}

/** The EstData preset (public/demo/EstData.study.json). */
export function estDataSpec(): StudySpec {
  return specOf(readEstDataStudyText());
}

/** A real public dataset of test-data/real with its study spec of test-data/specs. */
export function loadRealStudy(
  data: RealDatasetName,
  spec: 'theophylline' | 'phenobarbital' | 'mavoglurant',
): { dataset: Dataset; spec: StudySpec } {
  return {
    dataset: csvDataset([readRealDatasetCsv(data)], `${data}.csv`),
    spec: specOf(readFileSync(new URL(`../../../test-data/specs/${spec}.study.json`, import.meta.url), 'utf8')),
  };
}

/**
 * EstData's feature options from its preset (study-features.ts): covariates BW and COMED, per-kg
 * features by BW, DVID 1 and 2, the daily dosing scale — the features of the reference pipeline with
 * our fixes, for tests written for EstData (the feature code's own defaults name no covariate).
 */
export function estDataFeatures(): StudyFeatureOptions {
  return studyFeatureOptions(estDataSpec(), loadEstData());
}

function specOf(text: string): StudySpec {
  const reading = readStudySpecText(text);
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
}

/** Unit-dose shape of the features, summed naively over doses strictly before t (the reference formula). */
export function naiveShapeSum(
  doses: readonly { t: number; a: number }[],
  t: number,
  k: number,
  shape: { ka: number; alpha: number; rho: number },
): number {
  let sum = 0;
  for (const d of doses) {
    const dt = t - d.t;
    if (dt <= 0) continue;
    const { ka, alpha, rho } = shape;
    sum +=
      d.a *
      ((1 - rho) * (ka / (ka - k)) * (Math.exp(-k * dt) - Math.exp(-ka * dt)) +
        rho * (ka / (ka - alpha)) * (Math.exp(-alpha * dt) - Math.exp(-ka * dt)));
  }
  return sum;
}

/** Seeded standard normal (Box–Muller over mulberry32, each uniform moved half a step off 0). */
export function normals(seed: number): () => number {
  const next = mulberry32(seed);
  const uniform = (): number => next() + 2 ** -33;
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}
