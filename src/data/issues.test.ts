import { describe, expect, it } from 'vitest';
import { describeLines, IssueLog, LISTED_PER_KIND, MAX_LISTED_ERRORS, MAX_LISTED_WARNINGS, shortText } from './issues';

describe('IssueLog keeps what it lists small however many issues come', () => {
  it('lists ten errors of a kind and folds the rest into one counted issue per kind, in order of first appearance', () => {
    const log = new IssueLog('f.csv');
    for (let line = 2; line < 1002; line++) log.error('non-numeric', { line, column: 'DV' }, `bad ${line}`, 'Fix it.');
    log.error('missing-id', { line: 5, column: 'ID' }, 'the subject ID is empty', 'Give every row an ID.');
    const errors = log.errors;
    expect(errors.map((e) => e.code)).toEqual([...Array.from({ length: LISTED_PER_KIND.error + 1 }, () => 'non-numeric'), 'missing-id']);
    expect(errors[10]).toMatchObject({ line: 12, column: 'DV', count: 990, hint: 'Fix it.' });
    expect(errors[10].message).toBe(
      'f.csv, line 12, column DV: 990 more like the 10 above (lines 12, 13, 14, 15, 16, 17, 18, 19, 20, 21 and 980 more)',
    );
    expect(log.omittedErrors).toBe(0);
    expect(log.hasErrors).toBe(true);
  });

  it('lists at most 100 errors and counts the rest', () => {
    const log = new IssueLog('f.csv');
    for (let kind = 0; kind < 20; kind++) for (let k = 0; k < 15; k++) log.error(`kind-${kind}`, { line: k + 2 }, 'x', 'y');
    // Each kind gives 10 issues and 1 grouped issue (5 more): 11 listed per kind.
    expect(log.errors).toHaveLength(MAX_LISTED_ERRORS);
    const listedOccurrences = log.errors.reduce((n, e) => n + (e.count ?? 1), 0);
    expect(listedOccurrences + log.omittedErrors).toBe(300);
  });

  it('lists three warnings of a kind, at most 20 in all, and sums up the rest in one last warning', () => {
    const log = new IssueLog('f.csv');
    for (let kind = 0; kind < 10; kind++) for (let k = 0; k < 5; k++) log.warn(`w-${kind}`, { column: `C${k}` }, 'odd', 'Check it.');
    const warnings = log.warnings;
    expect(warnings).toHaveLength(MAX_LISTED_WARNINGS + 1);
    expect(warnings[3]).toMatchObject({ code: 'w-0', count: 2, message: 'f.csv: 2 more like the 3 above (columns C3, C4)' });
    // Five kinds of four listed issues fill the list; the other five kinds' 25 warnings are summed up.
    expect(warnings[MAX_LISTED_WARNINGS]).toMatchObject({
      code: 'more-warnings',
      count: 25,
      message: 'f.csv: 25 more warnings not listed',
    });
    expect(log.hasErrors).toBe(false);
  });

  it('keeps technical detail of a failure out of its message', () => {
    const log = new IssueLog('f.csv');
    log.failure('unreadable-file', 'the file could not be read', 'Try again.', 'RangeError: Invalid typed array length');
    expect(log.errors[0]).toMatchObject({ message: 'f.csv: the file could not be read', detail: 'RangeError: Invalid typed array length' });
  });
});

describe('message helpers', () => {
  it('quotes long text by its start and length, never cutting a surrogate pair', () => {
    expect(shortText('short')).toBe('short');
    expect(shortText('x'.repeat(1000))).toBe(`${'x'.repeat(39)}… (1,000 characters)`);
    const emoji = `${'x'.repeat(38)}😀${'y'.repeat(50)}`;
    expect(shortText(emoji)).toBe(`${'x'.repeat(38)}… (90 characters)`);
  });

  it('describes lines, counting lines beyond those given', () => {
    expect(describeLines([3])).toBe('line 3');
    expect(describeLines([3, 8, 12, 13, 14, 15, 16])).toBe('lines 3, 8, 12, 13, 14 and 2 more');
    expect(describeLines([3, 8], 5, 2000)).toBe('lines 3, 8 and 1,998 more');
  });
});
