/**
 * Readers of the model exports' values, for the re-simulation tests: each reads an export's text as
 * data — θ, Ω and residual SDs where the language keeps them, the code that computes the individual
 * parameters (evaluated by ./expression.ts, not by the exporter's own code) — and gives what our
 * engine needs: a subject's parameters in the data's units from its covariates and η, the SD of each
 * random effect, and each endpoint's residual SD at a prediction.
 *
 * Units: the exports compute VC, the central volume in the data's units; the reader takes the
 * volume factor from it (V / VC), so that clearances and volumes reach the engine as the export's
 * own code scales them. Test support only.
 */
import { modelParameters } from '../../../study/model-parameters';
import type { ModelParameter, PdModelSpec, PkModelSpec } from '../../../study/study-spec';
import type { ParameterValues } from '../../../pkpd/structural/structural-model';
import { canonicalName } from '../model-equations';
import { evaluate, lazyScope, mathCall } from './expression';

export interface ReadExport {
  parameters(covariates: Readonly<Record<string, number>>, eta: Partial<Record<ModelParameter, number>>): ParameterValues;
  /** SD of each random effect (the square root of the variance written). */
  omegaSd: Partial<Record<ModelParameter, number>>;
  /** Residual SD of each endpoint (in the order the export writes them) at prediction f. */
  residualSd: ((f: number) => number)[];
}

type Structure = { pk: PkModelSpec; pd?: PdModelSpec };

/** Blocks of a text whose blocks start with `$NAME` at a line start: name → lines (the `$` line's rest first). */
function blocks(text: string, comment: RegExp): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(comment, '').trimEnd();
    const head = /^\$([A-Z]+)\s*(.*)$/.exec(line);
    if (head) {
      current = out.get(head[1]) ?? [];
      out.set(head[1], current);
      if (head[2].trim()) current.push(head[2].trim());
    } else if (current && line.trim()) current.push(line.trim());
  }
  return out;
}

function parameterOf(name: string): ModelParameter {
  const upper = name.toUpperCase();
  return (upper === 'VP' ? 'V2' : upper) as ModelParameter;
}

/** Engine values (data units) from the export's values by canonical name, with VC. */
function toDataUnits(structure: Structure, value: (canonical: string) => number): ParameterValues {
  const factor = value('V') / value('VC');
  const out: ParameterValues = {};
  for (const p of modelParameters(structure.pk, structure.pd)) {
    const v = value(canonicalName(p));
    out[p] = p === 'CL' || p === 'Q' || p === 'V' || p === 'V2' ? v / factor : v;
  }
  return out;
}

function etaVector(names: readonly ModelParameter[], eta: Partial<Record<ModelParameter, number>>): number[] {
  return names.map((n) => eta[n] ?? 0);
}

/** A NONMEM control stream: $THETA, $OMEGA (labelled "ETA(k) NAME"), $PK and the W of $ERROR. */
export function readNonmem(text: string, structure: Structure): ReadExport {
  const b = blocks(text, /$^/);
  const strip = (l: string): string => l.replace(/;.*$/, '').trim();
  const theta = (b.get('THETA') ?? []).map((line) => {
    const numbers = (strip(line).match(/-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/g) ?? []).map(Number);
    return strip(line).startsWith('(') && numbers.length > 1 ? numbers[1] : numbers[0];
  });
  const etaNames: ModelParameter[] = [];
  const omegaSd: Partial<Record<ModelParameter, number>> = {};
  for (const line of b.get('OMEGA') ?? []) {
    const label = /ETA\((\d+)\)\s+(\w+)/.exec(line);
    if (!label) throw new Error(`$OMEGA line without its label: ${line}`);
    const name = parameterOf(label[2]);
    etaNames[Number(label[1]) - 1] = name;
    omegaSd[name] = Math.sqrt(Number(/^[\d.eE+-]+/.exec(strip(line))?.[0]));
  }
  const assignments = (lines: readonly string[]): Map<string, string> => {
    const defs = new Map<string, string>();
    for (const line of lines) {
      const a = /^([A-Z][A-Z0-9_]*)\s*=\s*(.+)$/.exec(strip(line));
      if (a) defs.set(a[1], a[2]);
    }
    return defs;
  };
  const pk = assignments(b.get('PK') ?? []);
  const call = (eta: number[]) => (name: string, args: number[]) =>
    name === 'THETA' ? theta[args[0] - 1] : name === 'ETA' ? eta[args[0] - 1] : mathCall(name, args);
  // W of each endpoint: the first one unconditional, later ones inside IF (DVID.EQ.k) blocks.
  const w = (b.get('ERROR') ?? []).map(strip).filter((l) => /^W = /.test(l));
  return {
    parameters(covariates, eta) {
      const scope = lazyScope(pk, (n) => covariates[n], call(etaVector(etaNames, eta)));
      return toDataUnits(structure, (n) => scope.lookup(n));
    },
    omegaSd,
    residualSd: w.map(
      (line) => (f: number) =>
        evaluate(
          line.slice(4),
          lazyScope(new Map(), (n) => (n === 'IPRED' ? f : undefined), call([])),
        ),
    ),
  };
}

/** The ini() and model() of an nlmixr2 model function. */
export function readNlmixr2(text: string, structure: Structure): ReadExport {
  const block = (name: string): string[] => {
    const start = text.indexOf(`${name}({`);
    const end = text.indexOf('})', start);
    if (start < 0 || end < 0) throw new Error(`No ${name}() block`);
    return text
      .slice(start + name.length + 2, end)
      .split('\n')
      .map((l) => l.replace(/#.*$/, '').trim())
      .filter(Boolean);
  };
  const defs = new Map<string, string>();
  const omegaSd: Partial<Record<ModelParameter, number>> = {};
  const etaValues = new Map<string, ModelParameter>();
  const call = (name: string, args: number[]): number => {
    if (name === 'c') return args.length > 1 ? args[1] : args[0];
    if (name === 'fix') return args[0];
    return mathCall(name, args);
  };
  for (const line of block('ini')) {
    const eta = /^eta\.(\w+)\s*~\s*(.+)$/.exec(line);
    if (eta) {
      const name = parameterOf(eta[1]);
      omegaSd[name] = Math.sqrt(
        evaluate(
          eta[2],
          lazyScope(new Map(), () => undefined, call),
        ),
      );
      etaValues.set(`eta.${eta[1]}`, name);
      continue;
    }
    const a = /^([A-Za-z][\w.]*)\s*<-\s*(.+)$/.exec(line);
    if (a) defs.set(a[1], a[2]);
  }
  const model = block('model');
  for (const line of model) {
    const a = /^([A-Za-z][\w.]*)\s*<-\s*(.+)$/.exec(line);
    if (a) defs.set(a[1], a[2]);
  }
  const constant = (name: string): number =>
    evaluate(
      defs.get(name) as string,
      lazyScope(defs, () => undefined, call),
    );
  const residualSd = model
    .filter((l) => /^\w+\s*~/.test(l))
    .map((line) => {
      const terms = new Map([...line.matchAll(/(\w+)\(([\w.]*)\)/g)].map((t) => [t[1], t[2]]));
      const sd = (kind: string): number => (terms.has(kind) ? constant(terms.get(kind) as string) : 0);
      if (terms.has('lnorm')) return () => sd('lnorm');
      const a = sd('add');
      const b = sd('prop');
      return terms.has('combined1') ? (f: number) => a + b * Math.abs(f) : (f: number) => Math.sqrt(a * a + (b * f) ** 2);
    });
  return {
    parameters(covariates, eta) {
      const scope = lazyScope(
        defs,
        (n) => {
          const p = etaValues.get(n);
          return p !== undefined ? (eta[p] ?? 0) : covariates[n];
        },
        call,
      );
      return toDataUnits(structure, (n) => scope.lookup(n.toLowerCase()));
    },
    omegaSd,
    residualSd,
  };
}

/** mrgsolve model code: $PARAM, $OMEGA @labels, $MAIN and the residual SDs of $TABLE. */
export function readMrgsolve(text: string, structure: Structure): ReadExport {
  const b = blocks(text, /\/\/.*$/);
  const params = new Map<string, number>();
  for (const line of b.get('PARAM') ?? []) {
    const a = /^([A-Z][A-Z0-9_]*)\s*=\s*(\S+)$/.exec(line);
    if (!a) throw new Error(`$PARAM line: ${line}`);
    params.set(a[1], Number(a[2]));
  }
  const omega = b.get('OMEGA') ?? [];
  const labels = (/^@labels\s+(.+)$/.exec(omega[0] ?? '')?.[1] ?? '').split(/\s+/).filter(Boolean);
  const variances = omega.slice(1).join(' ').split(/\s+/).filter(Boolean).map(Number);
  const etaNames = labels.map((l) => parameterOf(l.replace(/^ETA_/, '')));
  const omegaSd: Partial<Record<ModelParameter, number>> = {};
  etaNames.forEach((n, k) => (omegaSd[n] = Math.sqrt(variances[k])));
  const code = (name: string): Map<string, string> => {
    const defs = new Map<string, string>();
    for (const line of b.get(name) ?? []) {
      const a = /^double\s+([A-Z][A-Z0-9_]*)\s*=\s*(.+);$/.exec(line);
      if (a) defs.set(a[1], a[2]);
    }
    return defs;
  };
  const main = code('MAIN');
  const table = code('TABLE');
  const call = (eta: number[]) => (name: string, args: number[]) => (name === 'ETA' ? eta[args[0] - 1] : mathCall(name, args));
  const residualSd = [...table.keys()]
    .filter((k) => k.endsWith('_Y'))
    .map((y) => {
      const endpoint = y.slice(0, -2);
      const wName = `${endpoint}_W`;
      if (!table.has(wName)) return () => params.get(`${endpoint}_SD`) as number;
      const f = endpoint === 'PK' ? 'CP' : 'EFF';
      return (value: number) =>
        evaluate(
          table.get(wName) as string,
          lazyScope(new Map(), (n) => (n === f ? value : params.get(n)), call([])),
        );
    });
  return {
    parameters(covariates, eta) {
      const scope = lazyScope(main, (n) => covariates[n] ?? params.get(n), call(etaVector(etaNames, eta)));
      return toDataUnits(structure, (n) => scope.lookup(n));
    },
    omegaSd,
    residualSd,
  };
}
