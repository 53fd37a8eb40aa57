/**
 * Checks of the exports' code as text, for what neither R's parser nor our engine sees: each code
 * line's parentheses balance, and every name a line reads was assigned on an earlier line, is a data
 * column, a compartment or a parameter, or is one of the language's own words. Test support only.
 */

/** Whether the parentheses of a line balance (never closing more than were opened). */
export function balanced(line: string): boolean {
  let depth = 0;
  for (const c of line) {
    if (c === '(') depth++;
    if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * The names read before they are assigned, in code lines each of which `assignment` splits into
 * (assigned name or null, the text it reads); names followed by "(" are calls and must be in `known`
 * too. Numbers, and the text of comments (removed by the caller), are not names.
 */
export function undeclaredNames(
  lines: readonly string[],
  known: ReadonlySet<string>,
  assignment: (line: string) => { name: string | null; reads: string },
): string[] {
  const declared = new Set(known);
  const missing: string[] = [];
  for (const line of lines) {
    const { name, reads } = assignment(line);
    for (const match of reads.replace(/(?<![A-Za-z0-9_.])\d+\.?\d*([eE][+-]?\d+)?/g, ' ').matchAll(/[A-Za-z_][A-Za-z0-9_.]*/g)) {
      if (!declared.has(match[0]) && !missing.includes(match[0])) missing.push(match[0]);
    }
    if (name) declared.add(name);
  }
  return missing;
}
