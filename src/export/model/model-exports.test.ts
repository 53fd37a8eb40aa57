import { describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import { runStudyDoses } from '../../dose/dose-run-report';
import { readFileSync } from 'node:fs';
import { readStudySpecText } from '../../study/study-spec-reader';
import { readRealDatasetCsv } from '../../testing/fixture-files';
import { modelExportsOf } from './model-exports';

function readSpecFile(name: string) {
  const reading = readStudySpecText(readFileSync(new URL(`../../../test-data/specs/${name}.study.json`, import.meta.url), 'utf8'));
  if (!reading.ok) throw new Error(name);
  return reading.spec;
}

describe('a Doses run with the exporter (as the dose worker runs it)', () => {
  it('carries the fitted model for NONMEM, nlmixr2 and mrgsolve: a model file and a data file each, with the fit’s CL', async () => {
    const ingested = ingestText(readRealDatasetCsv('theo_sd'), 'theo_sd.csv');
    if (!ingested.ok) throw new Error('theo_sd did not ingest');
    const spec = readSpecFile('theophylline');
    const small = { ...spec, questions: { ...spec.questions!, virtualSubjects: 20 } };
    const report = await runStudyDoses(
      ingested.dataset,
      small,
      { uncertaintyReplicates: 0, method: 'bisection', vpcReplicates: 0 },
      { exportModel: modelExportsOf },
    );
    expect(report.modelExportsProblem).toBeNull();
    const exports = report.modelExports;
    if (!exports) throw new Error('no exports');
    const cl = report.fit.estimates.CL.value as number;
    for (const [format, extension] of [
      ['nonmem', '.ctl'],
      ['nlmixr2', '.R'],
      ['mrgsolve', '.cpp'],
    ] as const) {
      const files = exports[format].files;
      expect(files.map((f) => f.name.slice(f.name.lastIndexOf('.')))).toContain(extension);
      expect(files.some((f) => f.name.endsWith('.csv'))).toBe(true);
      const code = files.find((f) => f.name.endsWith(extension))?.text ?? '';
      // The final estimate of CL as the initial value (printed with more digits than the report's 4).
      expect(code, format).toContain(String(cl).slice(0, 4));
    }
  }, 60_000);
});
