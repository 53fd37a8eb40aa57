/**
 * The library of population models a patient's dose can be individualised with: study specs with
 * fixed values (population-model.ts), each with where its values come from. The documents are the
 * files in test-data/models, imported as text (Vite's `?raw`, which vitest resolves as the browser
 * build does), so that the app, the headless command and the tests read the same bytes.
 *
 * Provenance of each file: test-data/README.md; what each model's test reproduces of its source:
 * model-library.test.ts and docs/patient.md.
 */
import type { StudyPopulationModel } from '../pkpd/population/fit-study';
import type { StudySpec } from '../study/study-spec';
import estdataText from '../../test-data/models/estdata-published.study.json?raw';
import phenobarbitalText from '../../test-data/models/phenobarbital-grasela1985.study.json?raw';
import { describeSpecProblems, fixedPopulationModel, readPatientModelText } from './population-model';

export interface LibraryModel {
  /** Stable id, the file's name without `.study.json`. */
  id: string;
  name: string;
  drug: string;
  /** False for illustrative values written for this project. */
  published: boolean;
  /** Where the values come from (authors, journal, year; or "illustrative"). */
  citation: string;
  /** Where the values were read (a file of a public repository at a commit). */
  url?: string;
  /** The study spec document (JSON text). */
  text: string;
}

export const MODEL_LIBRARY: readonly LibraryModel[] = [
  {
    id: 'estdata-published',
    name: 'EstData example (PK/PD, indirect response)',
    drug: 'the challenge compound (EstData)',
    published: false,
    citation: 'Illustrative values of issue 14, written for this project; not a published model.',
    text: estdataText,
  },
  {
    id: 'phenobarbital-grasela1985',
    name: 'Phenobarbital in neonates (1-compartment IV, weight and Apgar score)',
    drug: 'phenobarbital',
    published: true,
    citation:
      'Grasela TH, Donn SM, Dev Pharmacol Ther 8:374–383 (1985) (data); the phenobarbital example model of the NONMEM ' +
      "Users Guide (Boeckmann, Sheiner & Beal); final FOCE-INTERACTION estimates of NONMEM as in Pharmpy's example model",
    url: 'https://github.com/pharmpy/pharmpy/blob/f16b61bceee5722fea7ca44d64611eda9163edae/src/pharmpy/internals/example_models/pheno.ext',
    text: phenobarbitalText,
  },
];

/** The library entry with this id, or undefined. */
export function libraryModel(id: string): LibraryModel | undefined {
  return MODEL_LIBRARY.find((m) => m.id === id);
}

/** The entry's spec and population model; throws (naming the problem) if the document is not a usable fixed model. */
export function readLibraryModel(entry: LibraryModel): { spec: StudySpec; model: StudyPopulationModel } {
  const reading = readPatientModelText(entry.text);
  if (!reading.ok) throw new Error(`The library model ${entry.id} is not a usable study spec: ${describeSpecProblems(reading.problems)}.`);
  return { spec: reading.spec, model: fixedPopulationModel(reading.spec) };
}
