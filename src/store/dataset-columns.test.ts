import { describe, expect, it } from 'vitest';
import { loadEstData } from '../data/features/test-support';
import { joinColumns, splitColumns } from './dataset-columns';
import { packDataset } from './packed-dataset';

describe('dataset columns in records of their own', () => {
  it('take every typed array out of the dataset and put it back (EstData)', () => {
    const packed = packDataset(loadEstData());
    const { shell, pieces } = splitColumns(packed);
    expect(JSON.stringify(shell).length).toBeLessThan(20_000);
    expect(pieces.every((p) => ArrayBuffer.isView(p.values))).toBe(true);
    expect(joinColumns(structuredClone(shell), structuredClone(pieces).reverse())).toEqual(packed);
  });

  it('cut a column larger than a piece into pieces, and store a part of a buffer as a copy of that part', () => {
    const packed = packDataset(loadEstData());
    packed.records.time = new Float64Array(new ArrayBuffer(8 * 5000), 8 * 1000, 3000).map((_, i) => i / 7);
    const { shell, pieces } = splitColumns(packed, 8 * 1024);
    const timePieces = pieces.filter((p) => p.values.length > 0 && p.values[p.values.length - 1] === 2999 / 7);
    expect(timePieces).toHaveLength(1);
    expect(pieces.every((p) => p.values.byteLength <= 8 * 1024)).toBe(true);
    expect(pieces.every((p) => p.values.byteOffset === 0 && p.values.byteLength === p.values.buffer.byteLength)).toBe(true);
    expect(joinColumns(shell, pieces)).toEqual(packed);
  });

  it('say which stored dataset is damaged when a piece is missing', () => {
    const { shell, pieces } = splitColumns(packDataset(loadEstData()), 8 * 1024);
    expect(() => joinColumns(shell, pieces.slice(1), 'EstData.csv')).toThrow(
      /^The stored dataset EstData\.csv is damaged: column 0 has \d+ of its \d+ parts\. Delete it and load the file again\.$/,
    );
  });
});
