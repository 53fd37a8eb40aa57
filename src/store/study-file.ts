/**
 * Study spec files (`name.qpkpd-study.json`): written from a dataset's spec, read back through the one
 * validator (src/study/study-spec-reader.ts) and checked against the dataset they are to describe.
 * Every check runs before anything is stored; a refused file leaves the store as it was.
 */
import type { StudySpec } from '../study/study-spec';
import { describeSpecProblems, readStudySpecText, type SpecProblem, specColumnProblems, STUDY_LIMITS } from '../study/study-spec-reader';
import { formatBytes, formatCount } from '../text/format';

export const STUDY_FILE_SUFFIX = '.qpkpd-study.json';

/** Largest study file read: a character takes at most 4 bytes in UTF-8, so a longer file cannot hold a spec within the limit. */
export const STUDY_FILE_MAX_BYTES = 4 * STUDY_LIMITS.textLength;

/**
 * The spec as a document the validator reads back to the same spec: an empty response unit is the
 * field left out (the reader refuses an empty text).
 */
export function studySpecDocument(spec: StudySpec): Record<string, unknown> {
  const { response, ...units } = spec.units;
  return { ...spec, units: response === '' ? units : { ...units, response } };
}

/** The file's text: the document, indented, one field per line. */
export function studyFileText(spec: StudySpec): string {
  return `${JSON.stringify(studySpecDocument(spec), null, 2)}\n`;
}

/** "EstData.qpkpd-study.json": the dataset's name with the characters file systems refuse replaced. */
export function studyFileName(datasetName: string): string {
  const base = datasetName
    // eslint-disable-next-line no-control-regex -- control characters are among what is replaced
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '-')
    .trim()
    .slice(0, 100)
    .replace(/^\.+/, '');
  return `${base || 'study'}${STUDY_FILE_SUFFIX}`;
}

export type StudyFileReading = { ok: true; spec: StudySpec } | { ok: false; message: string; problems: SpecProblem[] };

function refused(fileName: string, problems: SpecProblem[]): StudyFileReading {
  return {
    ok: false,
    problems,
    message: `${fileName} was not used, and nothing was stored: ${describeSpecProblems(problems)}.`,
  };
}

/** The file's size before its text: a file too large to be a study spec is refused without reading it. */
export function studyFileSizeProblem(fileName: string, size: number): StudyFileReading | null {
  if (size <= STUDY_FILE_MAX_BYTES) return null;
  return refused(fileName, [
    {
      path: '',
      message: `the file is ${formatBytes(size)}; a study file holds at most ${formatCount(STUDY_LIMITS.textLength)} characters. Choose a .qpkpd-study.json file`,
    },
  ]);
}

/** A study file's text read and checked against the columns of the dataset it is to describe. */
export function readStudyFileText(fileName: string, text: string, columns: readonly string[]): StudyFileReading {
  const reading = readStudySpecText(text);
  if (!reading.ok) return refused(fileName, reading.problems);
  const missing = specColumnProblems(reading.spec, columns);
  if (missing.length > 0) return refused(fileName, missing);
  return { ok: true, spec: reading.spec };
}

/** A study file chosen by a user: its size first, then its text (see readStudyFileText). */
export async function readStudyFile(file: File, columns: readonly string[]): Promise<StudyFileReading> {
  return studyFileSizeProblem(file.name, file.size) ?? readStudyFileText(file.name, await file.text(), columns);
}
