/**
 * The headless export command (the page side: scripts/headless.ts writes the files), and one fit
 * exported end to end: theophylline (oral 1-compartment, a power effect of WT, exponential error)
 * fitted by FOCE-I, each export read back (src/export/model/testing) and re-simulated by our engine —
 * the fit's own PRED and IPRED to 1e-9, relative.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import { exportMrgsolve } from '../../export/model/mrgsolve';
import { exportNlmixr2 } from '../../export/model/nlmixr2';
import { exportNonmem } from '../../export/model/nonmem';
import { readMrgsolve, readNlmixr2, readNonmem } from '../../export/model/testing/export-readers';
import { relativeGap, resimulate } from '../../export/model/testing/resimulate';
import { fitStudy } from '../../pkpd/population/fit-study';
import { readStudySpecText } from '../../study/study-spec-reader';
import type { StudySpec } from '../../study/study-spec';
import { readRealDatasetCsv } from '../../testing/fixture-files';
import { runHeadlessCommand } from '../registry';
import { FitInputError, type FitArgs } from './fit';
import { readExportInputs, type ExportArgs } from './export';

const specText = readFileSync(new URL('../../../test-data/specs/theophylline.study.json', import.meta.url), 'utf8');
const fitArgs: FitArgs = { csvText: readRealDatasetCsv('theo_sd'), fileName: 'theo_sd.csv', specText, specName: 'theo.study.json' };

describe('headless export', () => {
  it('refuses an unknown format before fitting', () => {
    expect(() => readExportInputs({ ...fitArgs, format: 'monolix' })).toThrow(FitInputError);
    expect(() => readExportInputs({ ...fitArgs, format: 'monolix' })).toThrow(
      'Unknown export format "monolix"; choose nonmem, nlmixr2, mrgsolve.',
    );
  });

  it('fits and returns the files, named after the data, with the estimates', async () => {
    const args: ExportArgs = { ...fitArgs, format: 'nonmem' };
    const result = (await runHeadlessCommand('export', args)) as Record<string, any>;
    expect(result.files.map((f: { name: string }) => f.name)).toEqual(['theo-sd.ctl', 'theo-sd.csv']);
    expect(result.files[0].text).toMatch(/^\$SUBROUTINES ADVAN2 TRANS2$/m);
    expect(result.files[0].text).toMatch(/^\$EST METHOD=COND INTER/m);
    expect(result.estimates.CL.unit).toBe('L/h');
    // The control stream's θ 1 is the fit's CL (the report shows 4 significant digits).
    const cl = Number(/^\(0, ([\d.e+-]+)\) ; 1 CL/m.exec(result.files[0].text)?.[1]);
    expect(relativeGap(cl, result.estimates.CL.value)).toBeLessThan(5e-4);
    expect(Object.keys(result.omega)).toEqual(['CL', 'V', 'KA']);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe('a fit exported end to end', () => {
  const reading = readStudySpecText(specText);
  if (!reading.ok) throw new Error('theophylline spec');
  const spec: StudySpec = reading.spec;
  const ingested = ingestText(readRealDatasetCsv('theo_sd'), 'theo_sd.csv');
  if (!ingested.ok) throw new Error('theo_sd');
  const fit = fitStudy(ingested.dataset, spec, { covariance: false });
  const etas = fit.individuals.map((s) => s.eta);

  it.each([
    ['nonmem', exportNonmem, readNonmem, '.ctl', '.csv'],
    ['nlmixr2', exportNlmixr2, readNlmixr2, '.R', '.nlmixr2.csv'],
    ['mrgsolve', exportMrgsolve, readMrgsolve, '.cpp', '.mrgsolve.csv'],
  ] as const)('%s: our engine re-simulates the fit’s PRED and IPRED from the export (1e-9)', (_f, write, read, code, data) => {
    const files = write(spec, fit).files;
    const text = (suffix: string): string => files.find((f) => f.name === `model${suffix}`)?.text as string;
    const rows = resimulate(spec, fit.model, read(text(code), { pk: fit.model.pk }), text(data), etas);
    const observed = fit.observations.filter((o) => o.target === 'pk');
    expect(rows).toHaveLength(observed.length);
    let gap = 0;
    rows.forEach((r, k) => {
      expect(r.time).toBe(observed[k].time);
      gap = Math.max(gap, relativeGap(r.exportPred, observed[k].pred), relativeGap(r.exportIpred, observed[k].ipred));
    });
    expect(gap).toBeLessThan(1e-9);
  });
});
