/**
 * Share links in the URL fragment (never the query string, so the state never reaches a server):
 * `#s=<state>.<check>` — the ShareState as JSON compressed with lz-string's URI-safe alphabet, then
 * 8 hex digits of the JSON's FNV-1a hash, so a cut or garbled link is refused rather than read as
 * other settings; `#demo` is shorthand for the demo data on the Data tab. Decoding never throws, and
 * its cost is bounded whatever the link holds: the fragment's length is checked before decompressing,
 * the decompressed length before anything else reads it.
 */
import * as lzModule from 'lz-string';
import { Fnv1a64 } from '../../data/fingerprint';
import { checkShareState, DAMAGED_MESSAGE, damagedLink, SHARE_VERSION, type ShareCheck, type ShareState } from './share-state';

// lz-string is CommonJS: bundlers give its functions as named exports, Node's ESM loader (the
// browser tests import this module) only as the default export.
const { compressToEncodedURIComponent, decompressFromEncodedURIComponent } =
  (lzModule as { default?: typeof lzModule }).default ?? lzModule;

/**
 * The longest fragment (without '#') the app opens, checked before anything is decompressed. The
 * app's own longest link — every Model and Doses setting at its longest allowed value, the Doses
 * settings being the demo study's questions — is 1,122 characters (682 when links carried the
 * EstData-only dose numbers), so 4,096 leave 3.6× room.
 * lz-string expands k codes into up to k²/2 characters: the worst fragment of this length decompresses
 * to 2.8 million characters, in about 2 ms here; then MAX_SHARE_JSON_LENGTH stops it before anything
 * else reads it. (Measured by `bench/input-limits.ts`, `bench/results-input-limits-2026-12-06.json`.)
 * The largest link the app accepts — a valid state written with long numbers — fills this length
 * (`largestAcceptedLink` in src/testing/hostile-share-links.ts; opened in `bench/main-thread.ts`).
 */
export const MAX_SHARE_FRAGMENT_LENGTH = 4096;

/**
 * The longest state (JSON characters) a link may carry, checked right after decompressing and before
 * the hash, the re-encoding and JSON.parse — lz-string's re-encoding is superlinear (3.2 s for the
 * 2.8 million characters above). The app's longest state is 1,277 characters (a doses section is at most 2,000: share-state.ts); a state of exactly
 * 8,192 is decoded, checked and re-encoded in about 1 ms here (same benchmark).
 */
export const MAX_SHARE_JSON_LENGTH = 8192;

const TOO_LARGE = 'it is larger than any link this app makes';

const STATE_PREFIX = 's=';
const DEMO_FRAGMENT = 'demo';
/** lz-string reads a letter outside its alphabet as 'A', so such links are refused before decompressing. */
const PAYLOAD = /^([A-Za-z0-9+$-]+)\.([0-9a-f]{8})$/;

/** The 8 hex digits after the payload: the first half of the state JSON's 64-bit FNV-1a hash. */
export function shareLinkCheck(json: string): string {
  const hash = new Fnv1a64();
  hash.text(json);
  return hash.hex().slice(0, 8);
}

/** The fragment (without '#') that carries `state`. */
export function encodeShareState(state: ShareState): string {
  const json = JSON.stringify(state);
  return `${STATE_PREFIX}${compressToEncodedURIComponent(json)}.${shareLinkCheck(json)}`;
}

const withoutHash = (fragment: string): string => (fragment.startsWith('#') ? fragment.slice(1) : fragment);

/** Whether a fragment (with or without '#') is meant as a share link; other fragments are left alone. */
export function isShareFragment(fragment: string): boolean {
  const body = withoutHash(fragment);
  return body === DEMO_FRAGMENT || body.startsWith(STATE_PREFIX);
}

/** The state a fragment (with or without '#') carries, or the message to show for it. */
export function decodeShareState(fragment: string): ShareCheck {
  const body = withoutHash(fragment);
  if (body === DEMO_FRAGMENT) return { ok: true, state: { v: SHARE_VERSION, data: 'demo', view: 'data' } };
  if (!body.startsWith(STATE_PREFIX)) return { ok: false, message: DAMAGED_MESSAGE };
  if (body.length > MAX_SHARE_FRAGMENT_LENGTH) return damagedLink(TOO_LARGE);
  const payload = PAYLOAD.exec(body.slice(STATE_PREFIX.length));
  let parsed: unknown;
  try {
    const json = payload ? decompressFromEncodedURIComponent(payload[1]) : null;
    if (json && json.length > MAX_SHARE_JSON_LENGTH) return damagedLink(TOO_LARGE);
    // The check catches changed content; re-encoding catches changes in the last letter's unread padding bits.
    if (!json || shareLinkCheck(json) !== payload?.[2] || compressToEncodedURIComponent(json) !== payload[1])
      return { ok: false, message: DAMAGED_MESSAGE };
    parsed = JSON.parse(json);
  } catch {
    return { ok: false, message: DAMAGED_MESSAGE };
  }
  return checkShareState(parsed);
}

/** The full link: this page's address with the state in its fragment. */
export function shareUrl(state: ShareState, page: { origin: string; pathname: string }): string {
  return `${page.origin}${page.pathname}#${encodeShareState(state)}`;
}
