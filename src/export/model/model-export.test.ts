/**
 * Model exports (NONMEM, nlmixr2, mrgsolve) of every structure of ./testing/export-cases.ts:
 * - golden files: test-data/golden/exports/<case>/ holds each export's files; a change of the text
 *   fails here. After an intended change, rewrite them with
 *     UPDATE_GOLDEN=1 npx vitest run src/export/model/model-export.test.ts
 *   and review the diff;
 * - re-simulation: each export's values and parameter code, read back from its text
 *   (./testing/export-readers.ts), and its data file, read back by our ingest, give our engine the
 *   same typical and individual predictions as the original model (relative 1e-9), the same Ω SDs and
 *   the same residual SDs;
 * - the code as text (./testing/code-checks.ts): balanced parentheses, every name assigned before it
 *   is read (NONMEM $PK/$DES/$ERROR, nlmixr2 model(), mrgsolve $MAIN/$ODE/$TABLE), mrgsolve's blocks.
 * Whether the R text parses is model-export-r.test.ts; a fit exported end to end is
 * src/headless/commands/export.test.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { residualSd } from '../../pkpd/residual-error';
import type { ModelExport } from './exported-model';
import { exportMrgsolve } from './mrgsolve';
import { exportNlmixr2 } from './nlmixr2';
import { exportNonmem } from './nonmem';
import { balanced, undeclaredNames } from './testing/code-checks';
import { exportCases, type ExportCase } from './testing/export-cases';
import { readMrgsolve, readNlmixr2, readNonmem, type ReadExport } from './testing/export-readers';
import { largestGap, relativeGap, resimulate } from './testing/resimulate';

const GOLDEN = new URL('../../../test-data/golden/exports/', import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const cases = exportCases();

type Format = 'nonmem' | 'nlmixr2' | 'mrgsolve';
const FORMATS: Record<Format, { write: typeof exportNonmem; read: typeof readNonmem; code: string; data: string }> = {
  nonmem: { write: exportNonmem, read: readNonmem, code: '.ctl', data: '.csv' },
  nlmixr2: { write: exportNlmixr2, read: readNlmixr2, code: '.R', data: '.nlmixr2.csv' },
  mrgsolve: { write: exportMrgsolve, read: readMrgsolve, code: '.cpp', data: '.mrgsolve.csv' },
};

function exported(c: ExportCase, format: Format): ModelExport {
  return FORMATS[format].write(c.spec, { model: c.model, study: c.study }, { baseName: c.name });
}

function file(x: ModelExport, suffix: string): string {
  const found = x.files.find((f) => f.name.endsWith(suffix) && !(suffix === '.csv' && /\.(nlmixr2|mrgsolve)\.csv$/.test(f.name)));
  if (!found) throw new Error(`No ${suffix} file`);
  return found.text;
}

function reread(c: ExportCase, format: Format, edit: (code: string) => string = (t) => t): { read: ReadExport; gap: number } {
  const x = exported(c, format);
  const structure = c.model.pd ? { pk: c.model.pk, pd: c.model.pd } : { pk: c.model.pk };
  const read = FORMATS[format].read(edit(file(x, FORMATS[format].code)), structure);
  return { read, gap: largestGap(resimulate(c.spec, c.model, read, file(x, FORMATS[format].data), c.etas)) };
}

describe.each(cases.map((c) => [c.name, c] as const))('model exports: %s', (_name, c) => {
  it.each(['nonmem', 'nlmixr2', 'mrgsolve'] as const)('%s: matches its golden files', (format) => {
    const dir = new URL(`${c.name}/`, GOLDEN);
    for (const f of exported(c, format).files) {
      // The nlmixr2 and mrgsolve data files are one file (checked below); only NONMEM's is kept.
      if (/\.(nlmixr2|mrgsolve)\.csv$/.test(f.name)) continue;
      const path = new URL(f.name, dir);
      if (UPDATE) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path, f.text);
      }
      expect(existsSync(path), `${f.name}: no golden file; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(f.text).toBe(readFileSync(path, 'utf8'));
    }
  });

  it.each(['nonmem', 'nlmixr2', 'mrgsolve'] as const)('%s: our engine re-simulates the export as the model (1e-9)', (format) => {
    const { read, gap } = reread(c, format);
    expect(gap).toBeLessThan(1e-9);
    for (const [name, sd] of Object.entries(c.model.omega))
      expect(relativeGap(read.omegaSd[name as keyof typeof read.omegaSd] ?? 0, sd)).toBeLessThan(1e-12);
    expect(Object.keys(read.omegaSd).sort()).toEqual(Object.keys(c.model.omega).sort());
    const residuals = [c.model.residual.pk, c.model.residual.pd].filter((r) => r !== undefined);
    expect(read.residualSd).toHaveLength(residuals.length);
    residuals.forEach((r, i) => {
      for (const f of [0.3, 2, 40]) expect(relativeGap(read.residualSd[i](f), residualSd(r, f))).toBeLessThan(1e-12);
    });
  });

  it('the nlmixr2 and mrgsolve data are NONMEM’s, with DV as observed', () => {
    const nonmem = file(exported(c, 'nonmem'), '.csv');
    const natural = file(exported(c, 'nlmixr2'), '.nlmixr2.csv');
    expect(file(exported(c, 'mrgsolve'), '.mrgsolve.csv')).toBe(natural);
    const logDvid = [c.model.residual.pk, c.model.residual.pd].map((r, i) => (r?.scale === 'log' ? String(i + 1) : '')).filter(Boolean);
    const a = nonmem.trim().split('\n');
    const b = natural.trim().split('\n');
    expect(a).toHaveLength(b.length);
    a.forEach((line, k) => {
      const x = line.split(',');
      const y = b[k].split(',');
      const logged = k > 0 && x[5] === '0' && x[4] === '0' && logDvid.includes(x[8]);
      if (logged) expect(Math.abs(Number(x[7]) - Math.log(Number(y[7])))).toBeLessThan(1e-12);
      else expect(x).toEqual(y);
    });
  });

  it('the code reads only names it has assigned, with balanced parentheses', () => {
    // NONMEM: $PK, $DES, $ERROR.
    const ctl = file(exported(c, 'nonmem'), '.ctl');
    const input = (/^\$INPUT (.+)$/m.exec(ctl)?.[1] ?? '').split(' ');
    const code = ctl
      .split('\n')
      .slice(
        ctl.split('\n').findIndex((l) => l === '$PK') + 1,
        ctl.split('\n').findIndex((l) => l === '$THETA'),
      )
      .filter((l) => !l.startsWith('$'))
      .map((l) => l.trim());
    const nonmemWords = new Set([
      ...input,
      'THETA',
      'ETA',
      'EPS',
      'A',
      'EXP',
      'LOG',
      'SQRT',
      'ABS',
      'IF',
      'THEN',
      'ENDIF',
      'EQ',
      'GT',
      'DVID',
    ]);
    const nonmemAssign = (l: string): { name: string | null; reads: string } => {
      const a = /^(?:IF \(.*\) )?([A-Z][A-Z0-9_]*(?:\(\d+\))?) = (.+)$/.exec(l);
      if (!a) return { name: null, reads: l.replace(/\.(EQ|GT)\./g, ' ') };
      return { name: a[1].replace(/\(\d+\)$/, ''), reads: `${/^IF \((.*)\) /.exec(l)?.[1].replace(/\.(EQ|GT)\./g, ' ') ?? ''} ${a[2]}` };
    };
    expect(undeclaredNames(code, nonmemWords, nonmemAssign)).toEqual([]);
    expect(code.every(balanced)).toBe(true);

    // nlmixr2: model() reads ini() names, the data's columns and the states.
    const r = file(exported(c, 'nlmixr2'), '.R');
    const ini = r.slice(r.indexOf('ini({'), r.indexOf('model({'));
    const iniNames = [...ini.matchAll(/^\s+([\w.]+) (?:<-|~)/gm)].map((m) => m[1]);
    const model = r
      .slice(r.indexOf('model({') + 7, r.lastIndexOf('})'))
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const states = ['depot', 'central', 'periph', 'effect', 'response'];
    const rWords = new Set([
      ...iniNames,
      ...input,
      ...states,
      'exp',
      'log',
      'sqrt',
      'abs',
      'd',
      'dt',
      'alag',
      'add',
      'prop',
      'lnorm',
      'combined1',
      'combined2',
    ]);
    const rAssign = (l: string): { name: string | null; reads: string } => {
      const a = /^([\w.]+) <- (.+)$/.exec(l);
      return a ? { name: a[1], reads: a[2] } : { name: null, reads: l.replace(/<-|~/g, ' ') };
    };
    expect(undeclaredNames(model, rWords, rAssign)).toEqual([]);
    expect(model.every(balanced)).toBe(true);

    // mrgsolve: blocks, statements ending in ";" in the code blocks, names.
    const cpp = file(exported(c, 'mrgsolve'), '.cpp');
    const heads = [...cpp.matchAll(/^\$([A-Z]+)/gm)].map((m) => m[1]);
    expect(heads.filter((h) => !['PROB', 'PARAM', 'CMT', 'OMEGA', 'SIGMA', 'MAIN', 'ODE', 'TABLE', 'CAPTURE'].includes(h))).toEqual([]);
    expect(heads.slice(0, 3)).toEqual(['PROB', 'PARAM', 'CMT']);
    const blockLines = (name: string): string[] => {
      const lines = cpp.split('\n');
      const start = lines.indexOf(`$${name}`);
      const end = lines.findIndex((l, i) => i > start && l.startsWith('$'));
      return lines.slice(start + 1, end).filter((l) => l.trim());
    };
    const params = blockLines('PARAM').map((l) => l.split(' = ')[0]);
    const cmts = (/^\$CMT (.+)$/m.exec(cpp)?.[1] ?? '').split(' ');
    const cppCode = ['MAIN', 'ODE', 'TABLE'].flatMap(blockLines);
    expect(cppCode.filter((l) => !l.endsWith(';'))).toEqual([]);
    expect(cppCode.every(balanced)).toBe(true);
    const cppWords = new Set([...params, ...cmts, 'exp', 'pow', 'log', 'sqrt', 'fabs', 'ETA', 'EPS']);
    const cppAssign = (l: string): { name: string | null; reads: string } => {
      const a = /^(?:double )?([A-Za-z_][A-Za-z0-9_]*) = (.+);$/.exec(l);
      if (!a) return { name: null, reads: l };
      const target = a[1];
      const special = /^(dxdt_|ALAG_)(\w+)$/.exec(target) ?? /^(\w+)_0$/.exec(target);
      if (special) expect(cmts).toContain(special[2] ?? special[1]);
      return { name: special ? null : target, reads: a[2] };
    };
    expect(undeclaredNames(cppCode, cppWords, cppAssign)).toEqual([]);
    const captured = (/^\$CAPTURE (.+)$/m.exec(cpp)?.[1] ?? '').split(' ');
    for (const name of captured) expect(cppCode.some((l) => l.startsWith(`double ${name} = `))).toBe(true);
  });
});

describe('the re-simulation check', () => {
  const c = cases.find((x) => x.name === 'oral-2cmt-lag') as ExportCase;
  it('fails when an export scales the central volume wrongly', () => {
    expect(reread(c, 'nonmem', (t) => t.replace(/^VC = V\/1000$/m, 'VC = V/100')).gap).toBeGreaterThan(0.01);
  });
  it('fails when a covariate effect or an η is written on the wrong parameter', () => {
    expect(reread(c, 'mrgsolve', (t) => t.replace('(AGE - 50)', '(AGE - 40)')).gap).toBeGreaterThan(1e-3);
    expect(reread(c, 'nlmixr2', (t) => t.replace('cl <- tvcl*exp(eta.cl)', 'cl <- tvcl*exp(eta.vp)')).gap).toBeGreaterThan(1e-3);
  });
});
