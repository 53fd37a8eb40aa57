/**
 * Checks shared by the inputs a user can open from outside the app (model files, share links) on
 * their parsed JSON, before any field is read: no key that could reach an object's prototype, and no
 * nesting deeper than the input can legitimately have (JSON.parse reads any depth, but
 * structuredClone, IndexedDB and JSON.stringify overflow the stack beyond a few thousand levels).
 * Iterative, so a nesting bomb cannot overflow the stack here either. Pure: no DOM, no TF.js.
 */

/** Keys that name or reach an object's prototype: never a field of an input of this app. */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

export type JsonShapeIssue =
  { readonly kind: 'reserved-key'; readonly key: string; readonly path: string } | { readonly kind: 'too-deep'; readonly path: string };

/** A key as a message may show it: short identifiers as they are, anything else (chosen by whoever wrote the input) as "…". */
export function displayKey(key: string): string {
  return /^[A-Za-z][A-Za-z0-9_-]{0,39}$/.test(key) ? key : '…';
}

interface Visit {
  readonly value: object;
  readonly depth: number;
  readonly parent: Visit | null;
  readonly step: string | number;
}

/** Steps of a path a message shows; deeper ones are written "…". */
const SHOWN_STEPS = 8;

function pathOf(visit: Visit, root: string): string {
  const steps: (string | number)[] = [];
  for (let v: Visit | null = visit; v?.parent; v = v.parent) steps.push(v.step);
  steps.reverse();
  const path = steps
    .slice(0, SHOWN_STEPS)
    .reduce<string>(
      (path, step) => (typeof step === 'number' ? `${path}[${step}]` : path === '' ? displayKey(step) : `${path}.${displayKey(step)}`),
      root,
    );
  return steps.length > SHOWN_STEPS ? `${path}…` : path;
}

/**
 * The first reserved key, or the first value nested more than `maxDepth` levels below `value`
 * (`value` itself is level 0), with its path from `root` ('' for none: "meta.config"); null when there is none.
 */
export function jsonShapeIssue(value: unknown, maxDepth: number, root: string): JsonShapeIssue | null {
  if (typeof value !== 'object' || value === null) return null;
  const stack: Visit[] = [{ value, depth: 0, parent: null, step: '' }];
  while (stack.length > 0) {
    const visit = stack.pop() as Visit;
    if (visit.depth > maxDepth) return { kind: 'too-deep', path: pathOf(visit, root) };
    const push = (child: unknown, step: string | number): void => {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: visit.depth + 1, parent: visit, step });
    };
    if (Array.isArray(visit.value)) {
      const items: unknown[] = visit.value;
      for (let i = 0; i < items.length; i++) push(items[i], i);
    } else {
      const record = visit.value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (RESERVED_KEYS.includes(key)) return { kind: 'reserved-key', key, path: pathOf(visit, root) };
        push(record[key], key);
      }
    }
  }
  return null;
}
