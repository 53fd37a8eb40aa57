/**
 * Runs a TypeScript entry (a benchmark or CLI) through Vite's module runner, so that packages whose
 * ESM build Node cannot load on its own (TF.js: directory imports) resolve as they do in the app and
 * in Vitest. Usage: tsx scripts/vite-run.ts ENTRY.ts [args…]
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createServer, createServerModuleRunner } from 'vite';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: tsx scripts/vite-run.ts ENTRY.ts [args…]\n');
  process.exit(2);
}
process.argv = [process.argv[0], entry, ...args];
// TF.js's Node platform calls require('util'), which transformed ES modules do not have.
Object.assign(globalThis, { require: createRequire(import.meta.url) });
const server = await createServer({
  configFile: false,
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false },
  ssr: { noExternal: [/^@tensorflow\//] },
  // TF.js reads seedrandom's generators by name (`seedrandom.alea`): see seedrandom-shim.ts.
  resolve: { alias: { seedrandom: fileURLToPath(new URL('./seedrandom-shim.ts', import.meta.url)) } },
});
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
try {
  await runner.import(entry);
} finally {
  await runner.close();
  await server.close();
}
