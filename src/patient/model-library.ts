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
import vancomycinText from '../../test-data/models/vancomycin-goti2018.study.json?raw';
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
  {
    id: 'vancomycin-goti2018',
    name: 'Vancomycin in hospitalised adults (2-compartment IV infusion, creatinine clearance, weight, haemodialysis)',
    drug: 'vancomycin',
    published: true,
    citation:
      'Goti V, Chaturvedula A, Fossler MJ, Mok S, Jacob JT, Ther Drug Monit 40(2):212–221 (2018), doi:10.1097/FTD.0000000000000490; ' +
      "values as the R package posologyr transcribes them (its vancomycin case study's mod_vancomycin_2cpt_Goti2018)",
    url: 'https://github.com/levenc/posologyr/blob/0217819d92e77d741e19ad7f7e5a514efd8c0dd7/vignettes/case_study_vancomycin.Rmd',
    text: vancomycinText,
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
