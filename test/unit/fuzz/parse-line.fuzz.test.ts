// Robustness of the line parsers (strict and fast) on hostile input: random bytes decoded as text,
// truncated JSON, huge fields, deep nesting, `__proto__` and `constructor` keys, absurd numbers.
// Whatever comes in, a line becomes a record, a rejection that says why, or nothing (blank), and
// nothing leaks onto Object.prototype.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AccessLogLineScanner } from '../../../shared/log/fast-parse.ts';
import { parseAccessLogLine } from '../../../shared/log/index.ts';
import { accessLogLine, fuzzRuns, hostileBytes, hostileLine } from './access-log-arbitraries.ts';

const at = { source: 'fuzz.log', line: 42 };
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/** Blank as parseAccessLogLine sees it: a BOM, JSON and Unicode-less whitespace, a trailing CR. */
function isBlank(line: string): boolean {
  return /^\ufeff?[\t\n\v\f\r ]*$/.test(line);
}

function expectWellFormedOutcome(line: string): void {
  const parsed = parseAccessLogLine(line, at);
  if (parsed === undefined) {
    expect(isBlank(line)).toBe(true);
    return;
  }
  expect(isBlank(line)).toBe(false);
  if (parsed.ok) {
    expect(parsed.location).toEqual(at);
    expect(['service', 'resource']).toContain(parsed.record.kind);
    // Unknown fields live in a null-prototype object: `__proto__` there is a plain key.
    expect(Object.getPrototypeOf(parsed.record.extra)).toBeNull();
  } else {
    expect(parsed.rejected.location).toEqual(at);
    expect(typeof parsed.rejected.reason).toBe('string');
    expect(parsed.rejected.reason.length).toBeGreaterThan(0);
  }
}

function expectPrototypeUntouched(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('the line parsers on hostile input', () => {
  afterAll(expectPrototypeUntouched);

  it('turn any generated or mutated line into a record, a precise rejection or nothing', () => {
    const scanner = new AccessLogLineScanner();
    fc.assert(
      fc.property(accessLogLine, ({ clean, line }) => {
        expectWellFormedOutcome(line);
        if (parseAccessLogLine(clean, at)?.ok === true) scanner.learn(clean);
        const fast = scanner.scan(line, 0, line.length);
        if (fast !== undefined) expect(parseAccessLogLine(line, at)?.ok).toBe(true);
      }),
      { numRuns: fuzzRuns(2500) },
    );
    expectPrototypeUntouched();
  });

  it('survive hostile lines: binary, deep nesting, huge fields, prototype keys, absurd numbers', () => {
    const scanner = new AccessLogLineScanner();
    fc.assert(
      fc.property(hostileLine, (line) => {
        expectWellFormedOutcome(line);
        // Learning from anything the strict parser accepts must not break later scans.
        if (parseAccessLogLine(line, at)?.ok === true) scanner.learn(line);
        const fast = scanner.scan(line, 0, line.length);
        if (fast !== undefined) expect(parseAccessLogLine(line, at)?.ok).toBe(true);
      }),
      { numRuns: fuzzRuns(1500) },
    );
    expectPrototypeUntouched();
  });

  it('survive random bytes decoded as UTF-8, invalid sequences included', () => {
    fc.assert(
      fc.property(hostileBytes, (bytes) => {
        const text = new TextDecoder().decode(bytes);
        for (const line of text.split('\n')) expectWellFormedOutcome(line);
      }),
      { numRuns: fuzzRuns(1000) },
    );
  });

  it('keep prototype-named keys as plain unknown fields, never as prototypes', () => {
    const line = JSON.stringify({
      startTime: '2026-11-20T10:15:30Z',
      serviceArn: 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0a1b2c3d4e5f60718',
      requestMethod: 'GET',
      requestPath: '/a',
      responseCode: 200,
      constructor: { prototype: { polluted: true } },
    }).replace('{', '{"__proto__":{"polluted":true},');
    const parsed = parseAccessLogLine(line, at);
    if (parsed?.ok !== true) throw new Error(`expected a record, got ${JSON.stringify(parsed)}`);
    expect(Object.hasOwn(parsed.record.extra, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(parsed.record.extra, '__proto__')?.value).toEqual({
      polluted: true,
    });
    expect(parsed.record.extra.constructor).toEqual({ prototype: { polluted: true } });
    expectPrototypeUntouched();
  });

  it('reject absurd numbers in counted fields and keep them in unknown ones', () => {
    const base = {
      startTime: '2026-11-20T10:15:30Z',
      serviceArn: 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0a1b2c3d4e5f60718',
      requestMethod: 'GET',
      requestPath: '/a',
    };
    const line = (extra: string) => `${JSON.stringify(base).slice(0, -1)},${extra}}`;
    for (const code of ['1e999', '-1e999', '200.5', '9007199254740993']) {
      const parsed = parseAccessLogLine(line(`"responseCode":${code}`), at);
      expect(parsed?.ok, code).toBe(false);
    }
    const parsed = parseAccessLogLine(line('"responseCode":200,"weird":1e999,"tiny":-1e-999'), at);
    expect(parsed?.ok).toBe(true);
  });
});
