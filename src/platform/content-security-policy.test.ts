import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from './content-security-policy';

describe('Content-Security-Policy', () => {
  it('the header forbids framing by any page; the <meta> variant leaves the directive out (browsers ignore it there, with a warning)', () => {
    expect(CONTENT_SECURITY_POLICY_HEADER.split('; ')).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors');
    expect(CONTENT_SECURITY_POLICY_HEADER.startsWith(`${CONTENT_SECURITY_POLICY}; `)).toBe(true);
  });
});
