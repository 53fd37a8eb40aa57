/**
 * The inputs of the headless `doses` command: the data file and the study spec whose questions it
 * answers — or, without a spec, the EstData preset (public/demo/EstData.study.json). Read as the
 * `fit` command reads them (fit.ts `readFitInputs`: the one validator, the binding), on the page and
 * in the Node runner, which exits with status 2 on a FitInputError before it starts a browser.
 */
import { estDataPreset } from '../../study/estdata-preset';
import { bindStudy, StudyDataError } from '../../study/study-data';
import type { StudySpec } from '../../study/study-spec';
import { ingestText } from '../../data/ingest';
import { type DataFileArgs, refusalText } from '../data-file';
import { FitInputError, readFitInputs } from './fit';

export interface DosesInputArgs extends DataFileArgs {
  /** The study spec's text; absent: the EstData preset. */
  specText?: string;
  specName?: string;
}

/** Reads and checks the file and the spec (or the preset) and binds them; throws a FitInputError saying what is wrong. */
export function readDosesInputs(args: DosesInputArgs): { spec: StudySpec; source: string } {
  if (args.specText === undefined) {
    const spec = estDataPreset();
    // A file that is not accepted is refused as it is; only the binding is the preset's to explain.
    const ingested = ingestText(args.csvText, args.fileName, undefined, args.decoding);
    if (!ingested.ok) throw new FitInputError(refusalText(ingested));
    try {
      bindStudy(ingested.dataset, spec);
    } catch (error) {
      if (error instanceof StudyDataError) {
        throw new FitInputError(
          `No study spec was given, so the EstData preset was used, and it does not fit this file: ${error.message} Give the study's spec (--spec S.json) with its questions.`,
          { cause: error },
        );
      }
      throw error;
    }
    return { spec, source: 'EstData preset (public/demo/EstData.study.json)' };
  }
  const specName = args.specName ?? 'the study spec';
  const { spec } = readFitInputs({ ...args, specText: args.specText, specName });
  if (!spec.questions) {
    throw new FitInputError(
      `${specName} asks no dose questions: add a "questions" section (endpoint, criterion, targets, regimens, scenarios) to the spec.`,
    );
  }
  return { spec, source: specName };
}
