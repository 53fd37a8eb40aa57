/**
 * How a packed dataset is laid out in IndexedDB: its columns (every typed array) in records of their
 * own, in pieces of at most COLUMN_PIECE_BYTES, and the rest — names, counts, warnings, with a
 * reference in place of each column — in the dataset's record. Chromium refuses to store one value
 * over about 128 MB (the transaction is aborted: "The transaction has finished"), which one record
 * holding every column of a 50 MB file (145 MB of columns) exceeded.
 */
import { StoredDataError } from './errors';
import type { PackedDataset } from './packed-dataset';

/** Largest piece of a column stored in one record: well below Chromium's limit on one value. */
export const COLUMN_PIECE_BYTES = 32 * 1024 * 1024;

/** Stands for the column `column` of the dataset, stored in `pieces` records of the columns store. */
export interface ColumnRef {
  column: number;
  pieces: number;
  type: TypedArrayName;
  length: number;
}

/** The packed dataset with each typed array replaced by its reference. */
export type WithColumnRefs<T> = T extends ArrayBufferView
  ? ColumnRef
  : T extends readonly (infer U)[]
    ? WithColumnRefs<U>[]
    : T extends object
      ? { [K in keyof T]: WithColumnRefs<T[K]> }
      : T;

export type DatasetShell = WithColumnRefs<PackedDataset>;

/** One stored piece: the key [datasetId, column, piece] and its values. */
export interface ColumnPiece {
  column: number;
  piece: number;
  values: TypedArray;
}

const TYPED_ARRAYS = { Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array } as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
type TypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;

function typedArrayName(view: ArrayBufferView): TypedArrayName {
  const name = view.constructor.name as TypedArrayName;
  if (!(name in TYPED_ARRAYS)) throw new Error(`A dataset column of type ${view.constructor.name} cannot be stored.`);
  return name;
}

/** The shell and the pieces of every column, each piece a copy only where it must be (a part of a buffer). */
export function splitColumns(dataset: PackedDataset, pieceBytes = COLUMN_PIECE_BYTES): { shell: DatasetShell; pieces: ColumnPiece[] } {
  const pieces: ColumnPiece[] = [];
  let next = 0;
  const shell = copyTree(dataset, (value) => {
    if (ArrayBuffer.isView(value)) {
      const array = value as TypedArray;
      const column = next++;
      const perPiece = Math.max(1, Math.floor(pieceBytes / array.BYTES_PER_ELEMENT));
      const count = Math.max(1, Math.ceil(array.length / perPiece));
      for (let p = 0; p < count; p++) {
        const whole = count === 1 && array.byteOffset === 0 && array.byteLength === array.buffer.byteLength;
        // A view of part of a buffer would be stored with the whole buffer: store a copy of its part.
        pieces.push({ column, piece: p, values: whole ? array : array.slice(p * perPiece, (p + 1) * perPiece) });
      }
      return { column, pieces: count, type: typedArrayName(array), length: array.length } satisfies ColumnRef;
    }
    return COPY;
  });
  return { shell: shell as DatasetShell, pieces };
}

function isColumnRef(value: unknown): value is ColumnRef {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'column' in value && 'pieces' in value && 'type' in value;
}

/** The packed dataset again from its shell and pieces (any order); throws on a missing or short piece. */
export function joinColumns(shell: DatasetShell, pieces: readonly ColumnPiece[], fileName = 'dataset'): PackedDataset {
  const byColumn = new Map<number, ColumnPiece[]>();
  for (const piece of pieces) {
    let list = byColumn.get(piece.column);
    if (!list) byColumn.set(piece.column, (list = []));
    list.push(piece);
  }
  const damaged = (what: string): Error =>
    new StoredDataError(`The stored dataset ${fileName} is damaged: ${what}. Delete it and load the file again.`);
  return copyTree(shell, (value) => {
    if (isColumnRef(value)) {
      const parts = (byColumn.get(value.column) ?? []).sort((a, b) => a.piece - b.piece);
      if (parts.length !== value.pieces) throw damaged(`column ${value.column} has ${parts.length} of its ${value.pieces} parts`);
      const Type = TYPED_ARRAYS[value.type];
      if (parts.length === 1 && parts[0].values instanceof Type && parts[0].values.length === value.length) return parts[0].values;
      const out = new Type(value.length);
      let at = 0;
      for (const part of parts) {
        if (at + part.values.length > value.length) throw damaged(`column ${value.column} is longer than recorded`);
        out.set(part.values, at);
        at += part.values.length;
      }
      if (at !== value.length) throw damaged(`column ${value.column} is shorter than recorded`);
      return out;
    }
    return COPY;
  }) as PackedDataset;
}

/** What `copyTree`'s `replace` returns for a value it leaves to be copied. */
const COPY = Symbol('copy');

/**
 * A copy of the plain data `value` (arrays and objects, own "__proto__" keys kept as data), in which
 * every node that `replace` maps — anything it does not answer COPY for — is replaced by its answer.
 */
function copyTree(value: unknown, replace: (value: unknown) => unknown): unknown {
  const walk = (v: unknown): unknown => {
    const replaced = replace(v);
    if (replaced !== COPY) return replaced;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(v)) {
        if (key === '__proto__')
          Object.defineProperty(out, key, { value: walk(child), enumerable: true, writable: true, configurable: true });
        else out[key] = walk(child);
      }
      return out;
    }
    return v;
  };
  return walk(value);
}
