/**
 * The app's Content-Security-Policy: everything from its own origin only — no connection, script,
 * image or font from another host. WebAssembly compilation is allowed (TF.js's wasm backend),
 * inline styles are (Lit and Observable Plot set them), blob: workers are (TF.js may start them),
 * and blob: scripts are: TF.js's threaded WebAssembly backend starts its threads as blob: workers
 * that load the backend's script from a blob: URL (only a script already running in the app can
 * make a blob: URL, so this lets in no other origin's code).
 * It is sent as an HTTP header by Vite's dev and preview servers, which also covers the workers
 * (a <meta> policy does not), and put in every page as <meta> for hosts that cannot set headers.
 * The header also forbids framing the app (`frame-ancestors 'none'`, against click-jacking); that
 * directive is ignored in <meta> (browsers warn about it there), so the meta variant leaves it out
 * and a host serving the build should send CONTENT_SECURITY_POLICY_HEADER as a header.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The policy as an HTTP header: the meta policy and no framing by any page (not even the app's own). */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;
