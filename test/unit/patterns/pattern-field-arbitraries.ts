// Arbitraries for the value fields of a call pattern (counters, example lists), shared by the
// generators of patterns the property tests build (their keys and times differ from test to test).
import fc from 'fast-check';
import { MAX_EXAMPLES } from '../../../shared/patterns/index.ts';

export function counterArbitraries(counter: fc.Arbitrary<number>) {
  return {
    requests: counter,
    status1xx: counter,
    status2xx: counter,
    status3xx: counter,
    status4xx: counter,
    status5xx: counter,
    authDenied: counter,
    other4xx: counter,
    bytesReceived: counter,
    bytesSent: counter,
    durationSumMs: counter,
    durationMaxMs: counter,
  };
}

/** An example list as a pattern keeps it: sorted, distinct, at most MAX_EXAMPLES values. */
export function exampleListArbitrary(maxChars: number): fc.Arbitrary<string[]> {
  return fc
    .uniqueArray(fc.string({ maxLength: maxChars }), { maxLength: MAX_EXAMPLES })
    .map((values) => values.sort());
}
