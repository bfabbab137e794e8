// Call patterns for the summary Parquet encoding tests: one realistic pattern and variations of
// it sized and shaped to reach each encoding path (row groups, dictionaries, plain pages).
import fc from 'fast-check';
import type { CallPattern } from '../../../shared/patterns/types.ts';

export const HOUR_START = Date.UTC(2025, 2, 4, 5);

export const basePattern: CallPattern = {
  hour: '2025-03-04T05',
  recordKind: 'service',
  serviceNetworkArn:
    'arn:aws:vpc-lattice:us-east-1:111122223333:servicenetwork/sn-0a1b2c3d4e5f60718',
  serviceArn: 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0a1b2c3d4e5f60718',
  callerPrincipal: 'arn:aws:iam::444455556666:role/checkout',
  callerKind: 'role',
  callerAccount: '444455556666',
  callerX509SubjectCN: '',
  requestMethod: 'GET',
  pathTemplate: '/orders/{id}',
  sourceVpcId: 'vpc-0123456789abcdef0',
  requests: 12,
  status1xx: 0,
  status2xx: 10,
  status3xx: 0,
  status4xx: 2,
  status5xx: 0,
  authDenied: 1,
  other4xx: 1,
  bytesReceived: 3400,
  bytesSent: 98000,
  durationSumMs: 240,
  durationMaxMs: 61,
  firstSeen: HOUR_START + 1250,
  lastSeen: HOUR_START + 3_599_999,
  examplePaths: ['/orders/8812', '/orders/8813'],
  sessionNames: ['checkout-7f3a'],
};

/**
 * `count` patterns of one hour, already in the encoder's row order (pathTemplate is the only
 * string that varies, zero-padded), with unique paths, timestamps and byte counts and a few
 * distinct small counters, as real summaries have.
 */
export function manyPatterns(count: number): CallPattern[] {
  return Array.from({ length: count }, (_, i) => {
    const firstSeen = HOUR_START + ((i * 7919) % 3_600_000);
    return {
      ...basePattern,
      pathTemplate: `/items/${String(i).padStart(7, '0')}`,
      requests: 1 + (i % 5),
      status2xx: 1 + (i % 5),
      bytesSent: i === count - 1 ? Number.MAX_SAFE_INTEGER : 1000 + i * 37,
      firstSeen,
      lastSeen: firstSeen + (i % 1000),
      examplePaths: i % 3 === 0 ? [] : [`/items/${i}`],
    };
  });
}

/** The string a UTF-8 round trip gives back: each lone surrogate becomes U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

/** Patterns in one order that depends on their contents only, to compare decoded with encoded. */
export function sortedCanonically(list: readonly CallPattern[]): CallPattern[] {
  return [...list].sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1));
}

function canonical(pattern: CallPattern): string {
  return JSON.stringify(Object.entries(pattern).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Each list `lists` draws, with the same patterns in an order of their own. */
export function withShuffled(
  lists: fc.Arbitrary<CallPattern[]>,
): fc.Arbitrary<[CallPattern[], CallPattern[]]> {
  return lists.chain((input) =>
    fc.tuple(
      fc.constant(input),
      fc.shuffledSubarray(input, { minLength: input.length, maxLength: input.length }),
    ),
  );
}
