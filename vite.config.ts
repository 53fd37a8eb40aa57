import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const page = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    // The headless runner page bundles TF.js and its backends (about 1.5 MB); the app shell stays small.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: { input: { main: page('index.html'), headless: page('headless.html') } },
  },
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
