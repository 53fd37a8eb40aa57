/**
 * A small arithmetic evaluator for the expressions the model exports write (NONMEM abbreviated code,
 * R, C++): numbers, names (letters, digits, `_` and `.`), + − * /, powers `**` and `^` (right
 * associative, above unary minus as in R and Fortran), parentheses and calls of the functions the
 * caller gives. Names are resolved lazily through `lookup`, so a reader can evaluate assignments in
 * any order. No `eval`: a test reads an export's text as data. Test support only.
 */

type Token = { kind: 'number'; value: number } | { kind: 'name'; value: string } | { kind: 'op'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    if (text.startsWith('**', i)) {
      tokens.push({ kind: 'op', value: '^' });
      i += 2;
      continue;
    }
    if ('+-*/^(),'.includes(c)) {
      tokens.push({ kind: 'op', value: c });
      i++;
      continue;
    }
    throw new Error(`Cannot read "${text}" at "${text.slice(i)}"`);
  }
  return tokens;
}

export interface ExpressionScope {
  lookup(name: string): number;
  call(name: string, args: number[]): number;
}

export function evaluate(text: string, scope: ExpressionScope): number {
  const tokens = tokenize(text);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const isOp = (op: string): boolean => {
    const t = peek();
    return t?.kind === 'op' && t.value === op;
  };
  const expect = (op: string): void => {
    if (!isOp(op)) throw new Error(`Expected "${op}" in "${text}"`);
    at++;
  };
  function sum(): number {
    let v = product();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[at++] as { value: string }).value;
      const r = product();
      v = op === '+' ? v + r : v - r;
    }
    return v;
  }
  function product(): number {
    let v = unary();
    while (isOp('*') || isOp('/')) {
      const op = (tokens[at++] as { value: string }).value;
      const r = unary();
      v = op === '*' ? v * r : v / r;
    }
    return v;
  }
  function unary(): number {
    if (isOp('-')) {
      at++;
      return -unary();
    }
    if (isOp('+')) {
      at++;
      return unary();
    }
    return power();
  }
  function power(): number {
    const base = primary();
    if (isOp('^')) {
      at++;
      return base ** unary();
    }
    return base;
  }
  function primary(): number {
    const t = tokens[at++];
    if (!t) throw new Error(`Unexpected end of "${text}"`);
    if (t.kind === 'number') return t.value;
    if (t.kind === 'name') {
      if (!isOp('(')) return scope.lookup(t.value);
      at++;
      const args: number[] = [];
      if (!isOp(')')) {
        args.push(sum());
        while (isOp(',')) {
          at++;
          args.push(sum());
        }
      }
      expect(')');
      return scope.call(t.value, args);
    }
    if (t.value === '(') {
      const v = sum();
      expect(')');
      return v;
    }
    throw new Error(`Unexpected "${t.value}" in "${text}"`);
  }
  const value = sum();
  if (at !== tokens.length) throw new Error(`Unread text in "${text}"`);
  return value;
}

/** The math functions of the three languages, by their names there. */
export function mathCall(name: string, args: number[]): number {
  switch (name.toLowerCase()) {
    case 'exp':
      return Math.exp(args[0]);
    case 'log':
      return Math.log(args[0]);
    case 'sqrt':
      return Math.sqrt(args[0]);
    case 'abs':
    case 'fabs':
      return Math.abs(args[0]);
    case 'pow':
      return args[0] ** args[1];
    default:
      throw new Error(`Unknown function ${name}`);
  }
}

/** Assignments `name → expression`, evaluated on demand (each once) with `base` for what they do not define. */
export function lazyScope(
  definitions: ReadonlyMap<string, string>,
  base: (name: string) => number | undefined,
  call: (name: string, args: number[]) => number,
): ExpressionScope {
  const values = new Map<string, number>();
  const scope: ExpressionScope = {
    lookup(name) {
      const known = values.get(name) ?? base(name);
      if (known !== undefined) return known;
      const expression = definitions.get(name);
      if (expression === undefined) throw new Error(`${name} is not defined`);
      const v = evaluate(expression, scope);
      values.set(name, v);
      return v;
    },
    call,
  };
  return scope;
}
