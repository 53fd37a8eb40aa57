/**
 * The exported model file: one JSON document holding a trained model's description (metrics,
 * curves, test status) and its weights. Importing checks everything — format, version, every meta
 * field, and that the weights rebuild a working model — before anything is stored.
 */
import { ModelFormatError } from './errors';
import { disposeModel } from './pkpd-model';
import { loadModel, type ModelDocument } from './serialize';
import type { TrainedModelMeta } from './trained-model';
import { damaged, readTrainedModelMeta } from './trained-model-check';

export const MODEL_FILE_FORMAT = 'qpkpd-studio/trained-model';
export const MODEL_FILE_VERSION = 1;
export const MODEL_FILE_SUFFIX = '.qpkpd-model.json';

export interface ModelFile {
  readonly format: typeof MODEL_FILE_FORMAT;
  readonly version: typeof MODEL_FILE_VERSION;
  readonly meta: TrainedModelMeta;
  readonly model: ModelDocument;
}

export function modelFileText(meta: TrainedModelMeta, model: ModelDocument): string {
  const file: ModelFile = { format: MODEL_FILE_FORMAT, version: MODEL_FILE_VERSION, meta, model };
  return JSON.stringify(file);
}

/** "QNN run" → "QNN run.qpkpd-model.json", with characters file systems reject replaced. */
export function modelFileName(name: string): string {
  const safe = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim() || 'model';
  return `${safe}${MODEL_FILE_SUFFIX}`;
}

const NOT_A_MODEL_FILE = 'This is not a QPKPD Studio model file: choose a .qpkpd-model.json file exported from the Model view.';

/** Checks a model file's text completely; throws ModelFormatError with a message a user can act on. */
export function readModelFile(text: string): { meta: TrainedModelMeta; model: ModelDocument } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ModelFormatError(NOT_A_MODEL_FILE);
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { format?: unknown }).format !== MODEL_FILE_FORMAT) {
    throw new ModelFormatError(NOT_A_MODEL_FILE);
  }
  const file = parsed as Record<string, unknown>;
  const version = file.version;
  if (typeof version === 'number' && Number.isInteger(version) && version > MODEL_FILE_VERSION) {
    throw new ModelFormatError(
      `This model file was made by a newer version of QPKPD Studio (file version ${version}; this app reads version ${MODEL_FILE_VERSION}). Reload the page to get the newest app, then import it again.`,
    );
  }
  if (version !== MODEL_FILE_VERSION) throw damaged('version', `is not ${MODEL_FILE_VERSION}`);
  const meta = readTrainedModelMeta(file.meta);
  const model = file.model as ModelDocument;
  try {
    disposeModel(loadModel(model));
  } catch (error) {
    throw damaged('model', `cannot be rebuilt (${error instanceof Error ? error.message : String(error)})`);
  }
  if (model.encoder !== meta.config.encoder || model.mode !== meta.config.mode)
    throw damaged('model', 'has another encoder or mode than its description');
  return { meta, model };
}
