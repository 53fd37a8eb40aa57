/**
 * Headless study fit:
 * - 'fit' { csvText, fileName, specText, specName }: reads the CSV and the study spec, binds them
 *   (src/study/study-data.ts) and fits the population model the spec describes
 *   (src/pkpd/population), returning `studyFitReport`'s JSON — estimates in the spec's units, Ω,
 *   residual errors, OFV/AIC/BIC, the models compared, notes, seconds. With `patientModel: true`, also
 *   the fitted model as a patient's population model (`patientModel`: a study spec document with fixed
 *   values, which the 'patient' command reads; null with `patientModelProblem` when a spec cannot hold it).
 *   On more than one thread (`--threads N`, the page's pool size: src/platform/threads.ts `poolSize`) the
 *   fit's objective evaluations are split by subject across N fit-pool workers (workers/fit-pool.ts),
 *   with the same results; on 1 it runs on this page's main thread as before. `threads` in the result
 *   says which, and `fingerprint` (fit-fingerprint.ts) tells two fits' numbers apart bit for bit.
 * `readFitInputs` is the same reading, for the Node runner to refuse bad inputs before it starts a
 * browser (scripts/headless.ts exits with status 2 on a FitInputError).
 */
import { ingestText } from '../../data/ingest';
import type { Dataset } from '../../data/types';
import { type DataFileArgs, refusalText } from '../data-file';
import { patientModelOf } from '../../dose/dose-run-report';
import { fitStudy } from '../../pkpd/population/fit-study';
import { fitFingerprint } from '../../pkpd/population/fit-fingerprint';
import { studyFitReport } from '../../pkpd/population/report';
import { bindStudy, StudyDataError } from '../../study/study-data';
import type { StudySpec } from '../../study/study-spec';
import { describeSpecProblems, readStudySpecText } from '../../study/study-spec-reader';
import { registerHeadlessCommand } from '../registry';
import { sharedFitPool } from '../../../workers/fit-pool';

export interface FitArgs extends DataFileArgs {
  specText: string;
  specName: string;
  /** Also return the fitted model as a fixed-value study spec document (see the header). */
  patientModel?: boolean;
}

/** The inputs cannot be used: what is wrong and where (the spec's field, the file's line). */
export class FitInputError extends Error {
  override readonly name = 'FitInputError';
}

/** Reads and checks the CSV and the spec, and binds them; throws a FitInputError saying what is wrong. */
export function readFitInputs(args: FitArgs): { dataset: Dataset; spec: StudySpec } {
  const reading = readStudySpecText(args.specText);
  if (!reading.ok) throw new FitInputError(`${args.specName} is not a usable study spec: ${describeSpecProblems(reading.problems)}.`);
  const ingested = ingestText(args.csvText, args.fileName, undefined, args.decoding);
  if (!ingested.ok) throw new FitInputError(refusalText(ingested));
  try {
    bindStudy(ingested.dataset, reading.spec);
  } catch (error) {
    if (error instanceof StudyDataError) {
      throw new FitInputError(`${args.specName}: ${error.message}`);
    }
    throw error;
  }
  return { dataset: ingested.dataset, spec: reading.spec };
}

registerHeadlessCommand('fit', async (args) => {
  const fitArgs = args as FitArgs;
  // More than one thread: the fit workers start while the inputs are read (none in the Node tests that run this command).
  const pool = sharedFitPool();
  const { dataset, spec } = readFitInputs(fitArgs);
  const threads = pool?.size ?? 1;
  const fit = pool ? await pool.fitStudy(dataset, spec) : fitStudy(dataset, spec);
  return {
    ...studyFitReport(fit),
    backend:
      threads > 1
        ? `cpu (pure TypeScript, split by subject across ${threads} fit workers)`
        : 'cpu (pure TypeScript, headless Chromium main thread)',
    threads,
    fingerprint: fitFingerprint(fit),
    ...(fitArgs.patientModel === true ? patientModelOf(fit, spec) : {}),
  };
});
