import { describe, expect, it } from 'vitest';
import { CROSS_ORIGIN_ISOLATION_HEADERS, withIsolationHeaders } from './cross-origin-isolation';

describe('cross-origin isolation headers', () => {
  it('are COOP same-origin and COEP require-corp', () => {
    expect(CROSS_ORIGIN_ISOLATION_HEADERS).toEqual({
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
  });

  it('are added to a response the service worker serves, keeping its status, headers and body', async () => {
    const original = new Response('<!doctype html>', { status: 200, statusText: 'OK', headers: { 'Content-Type': 'text/html' } });
    const wrapped = withIsolationHeaders(original);
    expect(wrapped.status).toBe(200);
    expect(wrapped.statusText).toBe('OK');
    expect(wrapped.headers.get('content-type')).toBe('text/html');
    expect(wrapped.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(wrapped.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await wrapped.text()).toBe('<!doctype html>');
  });

  it('a response that has them already is returned as it is', () => {
    const isolated = new Response('x', { headers: CROSS_ORIGIN_ISOLATION_HEADERS });
    expect(withIsolationHeaders(isolated)).toBe(isolated);
  });

  it('an error response (status 0) cannot be re-wrapped and is returned as it is', () => {
    const error = Response.error();
    expect(withIsolationHeaders(error)).toBe(error);
  });
});
