import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';

/** The dev server of vite.config.ts (`npm run dev`), on a free port. */
let server: ViteDevServer;

beforeAll(async () => {
  server = await createServer({
    configFile: 'vite.config.ts',
    logLevel: 'silent',
    server: { port: 0, host: 'localhost', strictPort: false },
  });
  await server.listen();
});

afterAll(async () => {
  await server?.close();
});

describe('the dev server', () => {
  it('sends the cross-origin isolation headers beside the Content-Security-Policy, on pages and on scripts', async () => {
    const base = server.resolvedUrls?.local[0] ?? '';
    for (const path of ['', 'headless.html', 'src/platform/threads.ts']) {
      const response = await fetch(new URL(path, base));
      expect(response.status).toBe(200);
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval' blob:");
      await response.arrayBuffer();
    }
  });
});
