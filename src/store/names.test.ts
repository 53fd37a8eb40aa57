import { describe, expect, it } from 'vitest';
import { checkedName, NAME_MAX_LENGTH, NameRefusedError, nameProblem, uniqueName } from './names';

describe('stored item names', () => {
  it('says why a name cannot be used: blank, too long, or another item’s in any capitals', () => {
    expect(nameProblem('dataset', '  ')).toBe('A dataset name cannot be empty.');
    expect(nameProblem('model', 'm'.repeat(NAME_MAX_LENGTH))).toBeNull();
    expect(nameProblem('model', 'm'.repeat(NAME_MAX_LENGTH + 1))).toBe(
      'A model name can have at most 200 characters; this one has 201. Choose a shorter name.',
    );
    expect(nameProblem('dataset', 'estdata', ['EstData'])).toMatch(/^Another dataset is already named “EstData”/);
    expect(nameProblem('dataset', 'EstData 2', ['EstData'])).toBeNull();
    expect(checkedName('dataset', '  Trial  ')).toBe('Trial');
    expect(() => checkedName('dataset', 'A', ['a'])).toThrow(NameRefusedError);
  });

  it('makes a unique name in any capitals, within the length limit', () => {
    expect(uniqueName('EstData', [])).toBe('EstData');
    expect(uniqueName('EstData', ['estdata'])).toBe('EstData (2)');
    expect(uniqueName('EstData', ['EstData', 'ESTDATA (2)'])).toBe('EstData (3)');
    const long = 'f'.repeat(300);
    expect(uniqueName(long, [])).toBe('f'.repeat(NAME_MAX_LENGTH));
    const second = uniqueName(long, ['f'.repeat(NAME_MAX_LENGTH)]);
    expect(second).toHaveLength(NAME_MAX_LENGTH);
    expect(second.endsWith(' (2)')).toBe(true);
  });
});
