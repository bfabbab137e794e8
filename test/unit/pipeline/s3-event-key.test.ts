// Object keys in S3 event notifications (aws-contracts.md §8) and where a key belongs in the
// bucket layout.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyObjectKey,
  decodeS3EventKey,
  encodeS3EventKey,
} from '../../../shared/pipeline/index.ts';

describe('decodeS3EventKey', () => {
  it('decodes the key of the committed sample event', () => {
    expect(
      decodeS3EventKey('logs/service%3Dsvc-0a40974812b61bafb/dt%3D2026-11-20/hour%3D10/a-b.gz'),
    ).toBe('logs/service=svc-0a40974812b61bafb/dt=2026-11-20/hour=10/a-b.gz');
  });

  it('reads + as a space and %2B as a plus sign', () => {
    expect(decodeS3EventKey('logs/night+batch%2Bretry.gz')).toBe('logs/night batch+retry.gz');
  });

  it('decodes multi-byte UTF-8 escapes', () => {
    expect(decodeS3EventKey('logs/%C3%A9t%C3%A9.gz')).toBe('logs/été.gz');
  });

  it.each(['logs/100%.gz', 'logs/%zz.gz', 'logs/%C3.gz'])(
    'rejects %s, which is not valid URL encoding, naming the key',
    (key) => {
      expect(() => decodeS3EventKey(key)).toThrow(
        new URIError(`S3 event object key ${JSON.stringify(key)} is not valid URL encoding`),
      );
    },
  );

  it('inverts encodeS3EventKey for every key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), (key) => {
        expect(decodeS3EventKey(encodeS3EventKey(key))).toBe(key);
      }),
    );
  });

  it('keeps / and encodes a space as +, as S3 does', () => {
    expect(encodeS3EventKey('logs/service=svc-1/a b+c.gz')).toBe('logs/service%3Dsvc-1/a+b%2Bc.gz');
  });
});

describe('classifyObjectKey', () => {
  it('takes keys under the logs prefix as logs', () => {
    expect(classifyObjectKey('logs/service=svc-1/dt=2026-11-20/hour=10/x.gz')).toEqual({
      isLog: true,
    });
  });

  it('never takes errors/, summaries/ or policies/ keys as logs, even with an empty logs prefix', () => {
    for (const key of [
      'errors/x.gz',
      'summaries/dt=2026-11-20/hour=10/a.parquet',
      'policies/latest.json',
    ]) {
      expect(classifyObjectKey(key, '')).toEqual({ isLog: false, reason: expect.any(String) });
    }
    expect(classifyObjectKey('anything/else.gz', '')).toEqual({ isLog: true });
  });

  it('treats the prefix as a string prefix', () => {
    expect(classifyObjectKey('logs-old/x.gz').isLog).toBe(false);
    expect(classifyObjectKey('lattice/logs/x.gz', 'lattice/logs/').isLog).toBe(true);
  });
});
