/** Parse-and-validate and feature-building times (the browser worker's code, run in Node). */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { ingestText } from '../../src/data/ingest';
import { buildDatasetFeatures, fitFeatureModel } from '../../src/data/features';
import { studySizeColumn } from '../../src/data/features/study-features';
import { DVID_PK } from '../../src/data/types';
import { estDataPreset } from '../../src/study/estdata-preset';
import { largeNonmemCsv } from '../fixtures/large-nonmem';

/** Median wall time of `runs` ingests of `text`, after one warm-up. */
function timeIngest(text: string, fileName: string, runs: number): { median_ms: number; rows: number; bytes: number } {
  const warm = ingestText(text, fileName);
  if (!warm.ok) throw new Error(`${fileName} did not ingest: ${warm.errors[0]?.message}`);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    ingestText(text, fileName);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median_ms: Number(times[Math.floor(runs / 2)].toFixed(1)), rows: warm.dataset.rowCount, bytes: text.length };
}

/** Median time to fit the feature model on all subjects and build PK features for every observation (the covariates and body weight EstData's preset names). */
function timeFeatures(text: string, runs: number): { median_ms: number; feature_rows: number } {
  const result = ingestText(text, 'features.csv');
  if (!result.ok) throw new Error('feature benchmark input did not ingest');
  const subjects = result.dataset.subjects.map((_, s) => s);
  const preset = estDataPreset();
  const covariates = preset.model.covariates.map((c) => c.column);
  const bodyWeight = studySizeColumn(preset);
  let rows = 0;
  const times: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const start = performance.now();
    const model = fitFeatureModel(result.dataset, { dvid: DVID_PK, covariates, bodyWeight }, subjects);
    rows = buildDatasetFeatures(result.dataset, model, subjects).nRows;
    if (r > 0) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median_ms: Number(times[Math.floor(runs / 2)].toFixed(1)), feature_rows: rows };
}

export function ingestBenchmarkReport() {
  const estData = readFileSync(new URL('../../public/demo/EstData.csv', import.meta.url), 'utf8');
  const result = {
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version },
    backend: 'node (same pure TypeScript the browser worker runs)',
    results: {
      estdata: timeIngest(estData, 'EstData.csv', 15),
      generated_100k_rows: timeIngest(largeNonmemCsv(100_000), 'large.csv', 5),
    },
    pk_features: {
      estdata: timeFeatures(estData, 15),
      generated_100k_rows: timeFeatures(largeNonmemCsv(100_000), 3),
    },
  };
  return result;
}
