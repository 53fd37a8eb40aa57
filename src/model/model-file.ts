/**
 * The exported model file: one JSON document holding a trained model's description (metrics,
 * curves, test status) and its weights. Importing treats the file as hostile until checked, in an
 * order that keeps every cost proportional to the file's size, never to what it claims: its size
 * (before the text is read), JSON, prototype keys and nesting, format and version, every meta field,
 * the networks' architectures (the training form's ranges), the weights against the parameter
 * count the architectures imply — and only then are the networks built, once, to prove they load.
 * Nothing is stored from a file that fails any check.
 */
import { storeTrainedModel } from '../store/models';
import { ModelFormatError } from './errors';
import { disposeModel } from './pkpd-model';
import { checkModelDocument, loadModel } from './serialize';
import { loadHybrid } from './mechanistic/hybrid-document';
import { disposeHybridModel } from './mechanistic/hybrid-model';
import type { StoredModelDocument } from './session-model';
import type { TrainedModelMeta } from './trained-model';
import { damaged, MAX_MODEL_FILE_NESTING, modelFileSizeProblem, readTrainedModelMeta } from './trained-model-check';
import { jsonShapeIssue } from './untrusted-json';

export const MODEL_FILE_FORMAT = 'qpkpd-studio/trained-model';
export const MODEL_FILE_VERSION = 1;
export const MODEL_FILE_SUFFIX = '.qpkpd-model.json';

export interface ModelFile {
  readonly format: typeof MODEL_FILE_FORMAT;
  readonly version: typeof MODEL_FILE_VERSION;
  readonly meta: TrainedModelMeta;
  readonly model: StoredModelDocument;
}

export function modelFileText(meta: TrainedModelMeta, model: StoredModelDocument): string {
  const file: ModelFile = { format: MODEL_FILE_FORMAT, version: MODEL_FILE_VERSION, meta, model };
  return JSON.stringify(file);
}

/** "QNN run" → "QNN run.qpkpd-model.json", with characters file systems reject replaced. */
export function modelFileName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are among those file systems reject
  const safe = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim() || 'model';
  return `${safe}${MODEL_FILE_SUFFIX}`;
}

const NOT_A_MODEL_FILE = 'This is not a QPKPD Studio model file: choose a .qpkpd-model.json file exported from the Model view.';

/** Checks a model file's text completely; throws ModelFormatError with a message a user can act on. */
export function readModelFile(text: string): { meta: TrainedModelMeta; model: StoredModelDocument } {
  // A character takes at least one byte in the file, so the file-size limit holds for text already read.
  const sizeProblem = modelFileSizeProblem(/\S/.test(text) ? text.length : 0);
  if (sizeProblem) throw new ModelFormatError(sizeProblem);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ModelFormatError(NOT_A_MODEL_FILE);
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { format?: unknown }).format !== MODEL_FILE_FORMAT) {
    throw new ModelFormatError(NOT_A_MODEL_FILE);
  }
  const issue = jsonShapeIssue(parsed, MAX_MODEL_FILE_NESTING, '');
  if (issue?.kind === 'reserved-key')
    throw damaged(issue.path || 'its top level', `holds a field named “${issue.key}”, which no model file has`);
  if (issue) throw damaged(issue.path, 'is nested deeper than any model file');
  const file = parsed as Record<string, unknown>;
  const version = file.version;
  if (typeof version === 'number' && Number.isInteger(version) && version > MODEL_FILE_VERSION) {
    throw new ModelFormatError(
      `This model file was made by a newer version of QPKPD Studio (file version ${version}; this app reads version ${MODEL_FILE_VERSION}). Reload the page to get the newest app, then import it again.`,
    );
  }
  if (version !== MODEL_FILE_VERSION) throw damaged('version', `is not ${MODEL_FILE_VERSION}`);
  const meta = readTrainedModelMeta(file.meta);
  if (meta.config.head === 'mechanistic') {
    // A hybrid model: loadHybrid checks every field before it builds the network, and builds it once.
    const hybrid = loadHybrid(file.model, 'model');
    try {
      if (hybrid.network.config.encoder !== meta.config.encoder) throw damaged('model', 'has another encoder than its description');
    } finally {
      disposeHybridModel(hybrid);
    }
    return { meta, model: file.model as StoredModelDocument };
  }
  const model = checkModelDocument(file.model, 'model');
  if (model.encoder !== meta.config.encoder || model.mode !== meta.config.mode)
    throw damaged('model', 'has another encoder or mode than its description');
  try {
    disposeModel(loadModel(model));
  } catch (error) {
    throw damaged('model', `cannot be rebuilt (${error instanceof Error ? error.message : String(error)})`);
  }
  return { meta, model };
}

/**
 * Imports a model file (a File from the file picker): its size is checked before its text is read,
 * then `readModelFile`; the model is stored only when every check passed. Returns its stored description.
 */
export async function importModelFile(file: Blob): Promise<TrainedModelMeta> {
  const sizeProblem = modelFileSizeProblem(file.size);
  if (sizeProblem) throw new ModelFormatError(sizeProblem);
  const { meta, model } = readModelFile(await file.text());
  return storeTrainedModel({ name: meta.name, facts: meta, document: model });
}
