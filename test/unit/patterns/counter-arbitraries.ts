// The counter fields of a call pattern, each drawn from one arbitrary, for the generators of
// patterns the property tests build (their keys, times and examples differ from test to test).
import type fc from 'fast-check';

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
