// Specification of path templating: each placeholder kind, normalization and literal escaping.
import { describe, expect, it } from 'vitest';
import { isPlaceholderSegment, templatePath } from '../../../shared/paths/index.ts';

describe('templatePath', () => {
  describe('replaces whole segments that are values by a placeholder of their kind', () => {
    it.each([
      ['/orders/8812', '/orders/{id}'],
      ['/orders/0', '/orders/{id}'],
      ['/orders/123456789012345678901234567890', '/orders/{id}'],
      ['/users/3f2a1b4c-9d8e-4f7a-b6c5-d4e3f2a1b0c9', '/users/{uuid}'],
      ['/users/3F2A1B4C-9D8E-4F7A-B6C5-D4E3F2A1B0C9', '/users/{uuid}'],
      ['/events/01ARZ3NDEKTSV4RRFFQ69G5FAV', '/events/{ulid}'],
      ['/events/01arz3ndektsv4rrffq69g5fav', '/events/{ulid}'],
      ['/objects/507f1f77bcf86cd799439011', '/objects/{hex}'],
      ['/commits/9fceb02d0ae598e95dc970b74767f19372d61af8', '/commits/{hex}'],
      ['/blobs/DEADBEEF0042', '/blobs/{hex}'],
      ['/reports/2026-11-20', '/reports/{date}'],
      ['/reports/2026-11-20T10:15:30Z', '/reports/{date}'],
      ['/reports/2026-11-20T10:15:30.123+01:00', '/reports/{date}'],
      ['/reports/2026-11-20T10:15', '/reports/{date}'],
      ['/users/alice@example.com/orders', '/users/{email}/orders'],
      ['/users/alice.smith+tag@mail.example.co.uk', '/users/{email}'],
      ['/sessions/V1StGXR8_Z5jdHi6B-myT', '/sessions/{token}'],
      ['/shares/dGhpcyBpcyBhIHRlc3Q=', '/shares/{token}'],
      ['/customers/cus_NffrFeUfNV2Hib', '/customers/{token}'],
      ['/keys/AKIAIOSFODNN7EXAMPLE', '/keys/{token}'],
      ['/keys/sk_live_4eC39HqLyjWDarjtT1zdp7dc', '/keys/{token}'],
      ['/keys/k3j5h6g7f8d9s0a1', '/keys/{token}'],
      ['/jwt/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl', '/jwt/{token}'],
    ])('%s → %s', (raw, template) => {
      expect(templatePath(raw)).toBe(template);
    });
  });

  describe('keeps names literal', () => {
    it.each([
      '/v1',
      '/api/v2/orders',
      '/health',
      '/2fa',
      '/deadbeef',
      '/cafebabe/facade',
      '/x509-certificates',
      '/s3-bucket-notifications',
      '/oauth2-callback-handler',
      '/sha256WithRSAEncryption',
      '/getUserProfileV2Handler',
      '/release-notes-2024-q3-final',
      '/k8s-cluster-autoscaler1',
      '/x86_64-unknown-linux-gnu',
      '/ubuntu-22.04-amd64-server',
      '/2026-13-01',
      '/2026-11-20T25:00',
      '/ALLCAPSLETTERSONLYXYZW',
      '/orders.json',
    ])('%s', (raw) => {
      expect(templatePath(raw)).toBe(raw);
    });
  });

  describe('cuts the query, the fragment and an absolute-form authority, nothing else', () => {
    it.each([
      ['/orders/42?expand=items', '/orders/{id}'],
      ['/orders?x=/1', '/orders'],
      ['/orders#top', '/orders'],
      ['/', '/'],
      ['', '/'],
      ['?x=1', '/'],
      ['orders/42', '/orders/{id}'],
      ['http://orders.example.com:8080/orders/42?x', '/orders/{id}'],
      ['https://orders.example.com', '/'],
    ])('%j → %s', (raw, template) => {
      expect(templatePath(raw)).toBe(template);
    });
  });

  // Lattice matches an auth-policy resource against the path as sent: a template that merged
  // `/orders/` into `/orders` would grant a resource the request does not match.
  describe('keeps the structure of the path as sent', () => {
    it.each([
      ['/orders/', '/orders/'],
      ['/orders/42/?a=1#b', '/orders/{id}/'],
      ['//orders///42//items', '//orders///{id}//items'],
      ['/a/./b/.', '/a/./b/.'],
      ['/a/b/../c', '/a/b/../c'],
      ['/../../etc/passwd', '/../../etc/passwd'],
      ['/a/%2e%2E/b', '/a/%2E%2E/b'],
    ])('%j → %s', (raw, template) => {
      expect(templatePath(raw)).toBe(template);
    });
  });

  describe('keeps literal braces apart from placeholders', () => {
    it('passes a placeholder segment through, which makes templating idempotent', () => {
      expect(templatePath('/orders/{id}/items/{uuid}')).toBe('/orders/{id}/items/{uuid}');
      expect(templatePath('/users/{var}/orders')).toBe('/users/{var}/orders');
    });

    it('escapes braces of a decoded segment that would read as a placeholder', () => {
      expect(templatePath('/orders/%7Bid%7D')).toBe('/orders/%7Bid%7D');
    });

    it('escapes braces of a segment that is not a known placeholder', () => {
      expect(templatePath('/t/{name}')).toBe('/t/%7Bname%7D');
      expect(templatePath('/t/{ID}')).toBe('/t/%7BID%7D');
      expect(templatePath('/t/a{b')).toBe('/t/a%7Bb');
    });
  });

  it('keeps a literal * (see pathTemplateToResourcePattern)', () => {
    expect(templatePath('*')).toBe('/*');
  });
});

describe('isPlaceholderSegment', () => {
  it.each(['{id}', '{uuid}', '{ulid}', '{hex}', '{date}', '{email}', '{token}', '{var}'])(
    'is true for %s',
    (segment) => {
      expect(isPlaceholderSegment(segment)).toBe(true);
    },
  );

  it.each(['id', '{ID}', '{name}', '{id}x', '%7Bid%7D', '*', ''])('is false for %j', (segment) => {
    expect(isPlaceholderSegment(segment)).toBe(false);
  });
});
