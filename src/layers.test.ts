/**
 * The layers of the repository (README, Layout): data, science and storage code runs in Node and in
 * workers, so it must not import the UI (Lit components, plots), the page's exports, the headless
 * page or the worker adapters; `src/text` is the bottom layer and imports nothing of the app.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PURE_LAYERS = [
  'src/data',
  'src/model',
  'src/pkpd',
  'src/dose',
  'src/quantum',
  'src/store',
  'src/platform',
  'src/text',
  'src/study',
  'src/patient',
];
const ABOVE = ['src/ui', 'src/pwa', 'src/export', 'src/headless', 'workers'];

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** The repository paths a file's relative imports (static, re-exports and dynamic) point at. */
function importedPaths(file: string, source: string): string[] {
  const specifiers = [...source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)).replaceAll('\\', '/'));
}

describe('layers', () => {
  it('reads the imports of a file, static, re-exported and dynamic', () => {
    const source = "import { a } from '../ui/format';\nexport { b } from './b';\nconst c = await import('../../workers/x');\nimport 'lit';";
    expect(importedPaths('src/model/m.ts', source)).toEqual(['src/ui/format', 'src/model/b', 'workers/x']);
  });

  it('data, science, storage and text code imports nothing from the UI, exports, the headless page or the workers', () => {
    const offences: string[] = [];
    for (const layer of PURE_LAYERS)
      for (const file of sourceFiles(layer))
        for (const target of importedPaths(file, readFileSync(join(ROOT, file), 'utf8')))
          if (ABOVE.some((above) => target === above || target.startsWith(`${above}/`))) offences.push(`${file} imports ${target}`);
    expect(offences).toEqual([]);
  });

  it('the mechanistic science (src/pkpd) imports nothing from the network code (src/model)', () => {
    const offences = sourceFiles('src/pkpd').flatMap((file) =>
      importedPaths(file, readFileSync(join(ROOT, file), 'utf8'))
        .filter((target) => target === 'src/model' || target.startsWith('src/model/'))
        .map((target) => `${file} imports ${target}`),
    );
    expect(offences).toEqual([]);
  });

  it('src/text imports nothing of the app', () => {
    const imports = sourceFiles('src/text').flatMap((file) => importedPaths(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(imports.filter((target) => !target.startsWith('src/text/'))).toEqual([]);
  });
});
