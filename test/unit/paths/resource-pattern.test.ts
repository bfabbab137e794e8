// Specification of the auth-policy resource pattern written for a path template.
import { describe, expect, it } from 'vitest';
import { pathTemplateToResourcePattern } from '../../../shared/paths/index.ts';

describe('pathTemplateToResourcePattern', () => {
  it.each([
    ['/orders/{id}/items', '/orders/*/items'],
    ['/users/{var}/orders/{uuid}', '/users/*/orders/*'],
    ['/{token}', '/*'],
    ['/', '/'],
    ['/api/v1/health', '/api/v1/health'],
    ['/v1/models/gpt:generate', '/v1/models/gpt:generate'],
    ["/a-b_c.d~e!$&'()+,;=@", "/a-b_c.d~e!$&'()+,;=@"],
  ])('%s → %s', (template, pattern) => {
    expect(pathTemplateToResourcePattern(template)).toBe(pattern);
  });

  it('widens characters whose spelling on the wire may differ, so the request still matches', () => {
    expect(pathTemplateToResourcePattern('/files/a%2Fb')).toBe('/files/a*b');
    expect(pathTemplateToResourcePattern('/files/café')).toBe('/files/caf*');
    expect(pathTemplateToResourcePattern('/files/My Report')).toBe('/files/My*Report');
    expect(pathTemplateToResourcePattern('/q/%7Bid%7D')).toBe('/q/*id*');
  });

  it('collapses runs of wildcards', () => {
    expect(pathTemplateToResourcePattern('/f/%FF%FE')).toBe('/f/*');
    expect(pathTemplateToResourcePattern('/f/日本語')).toBe('/f/*');
  });

  it('keeps a literal *, which can only broaden the grant', () => {
    expect(pathTemplateToResourcePattern('/*')).toBe('/*');
    expect(pathTemplateToResourcePattern('/a*b')).toBe('/a*b');
  });

  it('never emits ?', () => {
    expect(pathTemplateToResourcePattern('/q/a%3Fb')).toBe('/q/a*b');
  });
});
