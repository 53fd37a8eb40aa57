import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from './src/platform/content-security-policy';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './src/platform/cross-origin-isolation';
import { tfjsWasmThreads } from './scripts/tfjs-wasm-threads-plugin';

const page = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

// The header forbids framing (frame-ancestors 'none'; X-Frame-Options for browsers without it): no click-jacking.
// COOP/COEP make the pages cross-origin isolated (SharedArrayBuffer: TF.js's WebAssembly threads).
const securityHeaders = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER,
  'X-Frame-Options': 'DENY',
  ...CROSS_ORIGIN_ISOLATION_HEADERS,
};

/** The policy as <meta> in every page, for hosts that serve the build without the header (frame-ancestors is ignored there). */
const cspMeta: Plugin = {
  name: 'qpkpd-csp-meta',
  transformIndexHtml: () => [
    { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
  ],
};

export default defineConfig({
  // The workers bundle TF.js too: the threaded WebAssembly fix applies to them as to the pages.
  worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
  server: { headers: securityHeaders },
  preview: { headers: securityHeaders },
  plugins: [
    cspMeta,
    tfjsWasmThreads(),
    // Offline use: a service worker (src/pwa/sw.ts) precaches the app shell, the workers, TF.js's
    // WebAssembly and the demo data, so that after one visit the app starts, trains and optimises with
    // no network, and adds the cross-origin isolation headers to what it serves (static hosts).
    // src/pwa registers it (injectRegister null) and shows the update notice (registerType 'prompt').
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/pwa',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: null,
      // The manifest's icons and the manifest itself are precached by the glob patterns below.
      includeManifestIcons: false,
      manifest: {
        name: 'QPKPD Studio',
        short_name: 'QPKPD',
        description: 'Browser-only PK/PD modelling and dose optimisation; your data never leave this device.',
        theme_color: '#0e2a47',
        background_color: '#ffffff',
        display: 'standalone',
        start_url: '.',
        scope: '.',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,wasm,svg,png,csv}'],
        // The headless runner page (tests, benchmarks) is not part of the installed app.
        globIgnores: ['headless.html', 'assets/headless-*.js'],
        // The training and experiments workers bundle TF.js (about 1.5 MB each), the WebAssembly binaries about 0.5 MB.
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
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
