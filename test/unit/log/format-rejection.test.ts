// Specification of formatRejection: one compiler-style line per rejected access-log line.
import { describe, expect, it } from 'vitest';
import { formatRejection, parseAccessLogLine } from '../../../shared/log/index.ts';

describe('formatRejection', () => {
  it('names the file, the line and the field', () => {
    const text = formatRejection({
      location: { source: 'sample.log', line: 12 },
      field: 'responseCode',
      reason: 'responseCode: expected an integer status 100-599, got "abc"',
    });
    expect(text).toBe(
      'sample.log:12: field responseCode: expected an integer status 100-599, got "abc"',
    );
  });

  it('leaves out the field when the whole line is at fault', () => {
    const text = formatRejection({
      location: { source: 'logs/a.log.gz', line: 3 },
      reason: 'expected one JSON object per line, got an array',
    });
    expect(text).toBe('logs/a.log.gz:3: expected one JSON object per line, got an array');
  });

  it('adds the field name when a reason does not start with it', () => {
    const text = formatRejection({
      location: { source: 'x', line: 1 },
      field: 'requestPath',
      reason: 'must start with "/"',
    });
    expect(text).toBe('x:1: field requestPath: must start with "/"');
  });

  it('formats what the parser rejects', () => {
    const parsed = parseAccessLogLine('[]', { source: 'sample.log', line: 2 });
    if (parsed === undefined || parsed.ok) throw new Error('expected a rejection');
    expect(formatRejection(parsed.rejected)).toBe(
      'sample.log:2: expected one JSON object per line, got an array',
    );
  });
});
