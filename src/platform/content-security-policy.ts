/**
 * The app's Content-Security-Policy: everything from its own origin only — no connection, script,
 * image or font from another host. WebAssembly compilation is allowed (TF.js's wasm backend),
 * inline styles are (Lit and Observable Plot set them), blob: workers are (TF.js may start them).
 * It is sent as an HTTP header by Vite's dev and preview servers, which also covers the workers
 * (a <meta> policy does not), and put in every page as <meta> for hosts that cannot set headers.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
