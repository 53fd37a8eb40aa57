/**
 * The rules of a stored item's name (datasets and saved models alike): not blank, at most
 * NAME_MAX_LENGTH characters, and not the name of another item of the same kind — compared without
 * regard to case, so "EstData" and "estdata" cannot both be listed. The store functions enforce them;
 * the rename form checks the same rules as the user types.
 */
import { formatCount } from '../text/format';

/** Longest name: ample for a file's name or a description, short enough to show in a list. */
export const NAME_MAX_LENGTH = 200;

export type NamedKind = 'dataset' | 'model' | 'patient';

const sameName = (a: string, b: string): boolean => a.toLocaleLowerCase() === b.toLocaleLowerCase();

/** The name refused, and why, in words a user can act on. */
export class NameRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NameRefusedError';
  }
}

/** Why `name` (trimmed) cannot name an item of `kind` beside the `taken` names, or null when it can. */
export function nameProblem(kind: NamedKind, name: string, taken: readonly string[] = []): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return `A ${kind} name cannot be empty.`;
  if (trimmed.length > NAME_MAX_LENGTH)
    return `A ${kind} name can have at most ${NAME_MAX_LENGTH} characters; this one has ${formatCount(trimmed.length)}. Choose a shorter name.`;
  const clash = taken.find((t) => sameName(t, trimmed));
  if (clash !== undefined)
    return `Another ${kind} is already named “${clash}” (names are compared without regard to capitals). Choose another name.`;
  return null;
}

/** The trimmed name, or NameRefusedError saying why it cannot be used. */
export function checkedName(kind: NamedKind, name: string, taken: readonly string[] = []): string {
  const problem = nameProblem(kind, name, taken);
  if (problem !== null) throw new NameRefusedError(problem);
  return name.trim();
}

/**
 * "EstData" → "EstData (2)" when the name is taken (in any capitals); a name too long is shortened
 * first, so the result keeps within NAME_MAX_LENGTH.
 */
export function uniqueName(wanted: string, taken: readonly string[]): string {
  const isTaken = (name: string): boolean => taken.some((t) => sameName(t, name));
  const base = wanted.trim().slice(0, NAME_MAX_LENGTH).trim();
  if (!isTaken(base)) return base;
  for (let k = 2; ; k++) {
    const suffix = ` (${k})`;
    const name = `${base.slice(0, NAME_MAX_LENGTH - suffix.length).trimEnd()}${suffix}`;
    if (!isTaken(name)) return name;
  }
}
