/**
 * Cross-origin isolation: with these two headers on the page (and on its workers' scripts) the
 * browser sets `crossOriginIsolated`, which allows SharedArrayBuffer and so TF.js's threaded
 * WebAssembly backend. The app loads nothing from another origin, so `require-corp` blocks nothing.
 * Vite's dev and preview servers send them beside the Content-Security-Policy; on a static host
 * that cannot set headers the service worker (src/pwa/sw.ts) adds them to every response it serves.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * `response` with the isolation headers added (a copy; the body is streamed, not read). Opaque and
 * error responses (status 0) cannot be re-wrapped and are returned as they are.
 */
export function withIsolationHeaders(response: Response): Response {
  if (response.status === 0) return response;
  const isolated = Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS).every(([name, value]) => response.headers.get(name) === value);
  if (isolated) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
