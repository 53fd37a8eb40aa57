/**
 * Reading an untrusted JSON document field by field (the study spec, a patient record): every reader
 * returns the value, or undefined after noting a problem at the field's dotted path
 * ("questions.regimens[0].step: must be a number > 0"), so one pass collects every problem of a document.
 */

/** A problem with one field: its dotted path ("" for the document itself) and what is wrong, in words. */
export interface FieldProblem {
  path: string;
  message: string;
}

export type Plain = Record<string, unknown>;

/** Keys that would reach an object's prototype: refused as names chosen by the user. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The dotted path of a field (`key` a name) or an item (`key` an index) under `path`. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Collects problems while reading; every reader returns undefined for a value it refused. */
export class FieldReader {
  readonly problems: FieldProblem[] = [];

  problem(path: string, message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }

  /** An object with known fields; each other field is a problem. */
  object(value: unknown, path: string, fields: readonly string[]): Plain | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.problem(path, 'must be an object { … }');
    const plain = value as Plain;
    for (const key of Object.keys(plain)) {
      if (!fields.includes(key)) this.problem(joinPath(path, key), `is not a field here (expected ${fields.join(', ')})`);
    }
    return plain;
  }

  /** An object whose keys are names chosen by the user (columns, parameters), at most `limit` of them. */
  record(value: unknown, path: string, limit: number): [string, unknown][] | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.problem(path, 'must be an object { … }');
    const entries = Object.entries(value as Plain);
    if (entries.length > limit) return this.problem(path, `has ${entries.length} entries; at most ${limit} are allowed`);
    return entries.filter(([key]) => {
      if (!FORBIDDEN_KEYS.has(key)) return true;
      this.problem(joinPath(path, key), 'is not allowed as a name');
      return false;
    });
  }

  list(value: unknown, path: string, limit: number, min = 0): unknown[] | undefined {
    if (!Array.isArray(value)) return this.problem(path, 'must be a list [ … ]');
    if (value.length > limit) return this.problem(path, `has ${value.length} items; at most ${limit} are allowed`);
    if (value.length < min) return this.problem(path, min === 1 ? 'must not be empty' : `needs at least ${min} items`);
    return value as unknown[];
  }

  text(value: unknown, path: string, maxLength: number): string | undefined {
    if (typeof value !== 'string') return this.problem(path, 'must be text');
    const trimmed = value.trim();
    if (trimmed === '') return this.problem(path, 'must not be empty');
    if (trimmed.length > maxLength) return this.problem(path, `is ${trimmed.length} characters long; at most ${maxLength} are allowed`);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f]/.test(trimmed)) return this.problem(path, 'must not contain control characters');
    return trimmed;
  }

  /** A finite number meeting `check`, whose `requirement` ("> 0") the message names. */
  number(value: unknown, path: string, check: (x: number) => boolean = () => true, requirement = ''): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.problem(path, `must be a number ${requirement}`.trim());
    return check(value) ? value : this.problem(path, `must be a number ${requirement}, got ${value}`);
  }

  positive(value: unknown, path: string): number | undefined {
    return this.number(value, path, (x) => x > 0, '> 0');
  }

  integer(value: unknown, path: string, min: number, max: number): number | undefined {
    return this.number(value, path, (x) => Number.isInteger(x) && x >= min && x <= max, `(a whole number from ${min} to ${max})`);
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    return this.problem(path, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }

  flag(value: unknown, path: string): boolean | undefined {
    return typeof value === 'boolean' ? value : this.problem(path, 'must be true or false');
  }

  /** Two numbers; `ordered`: low < high. */
  pair(value: unknown, path: string, ordered: boolean): [number, number] | undefined {
    const items = this.list(value, path, 2, 2);
    if (!items) return undefined;
    const a = this.number(items[0], `${path}[0]`);
    const b = this.number(items[1], `${path}[1]`);
    if (a === undefined || b === undefined) return undefined;
    if (ordered && !(a < b)) return this.problem(path, `must be [low, high] with low < high, got [${a}, ${b}]`);
    return [a, b];
  }
}
