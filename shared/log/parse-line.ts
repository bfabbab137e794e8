// Turns one line of a VPC Lattice access log into a typed record, or a rejection that says which
// line, which field and what was expected. The only place untrusted log text becomes a record.
import { checkField, FieldFailure, isAbsent } from './check-field.ts';
import { RESOURCE_FIELDS, RESOURCE_REQUIRED, SERVICE_FIELDS, SERVICE_REQUIRED } from './fields.ts';
import type { AccessLogRecord, JsonValue, ParsedLine, RecordLocation } from './types.ts';

/**
 * Parses one JSON-lines access-log entry. Returns undefined for a blank line; otherwise a record
 * or a rejection. A leading UTF-8 BOM and a trailing `\r` are ignored.
 */
export function parseAccessLogLine(line: string, location: RecordLocation): ParsedLine | undefined {
  let start = 0;
  let end = line.length;
  if (end > 0 && line.charCodeAt(0) === 0xfeff) start = 1;
  if (end > start && line.charCodeAt(end - 1) === 0x0d) end--;
  let first = start;
  while (first < end && isWhitespace(line.charCodeAt(first))) first++;
  if (first === end) return undefined;
  const text = start === 0 && end === line.length ? line : line.slice(start, end);

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return reject(location, undefined, jsonErrorReason(text, error));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject(location, undefined, `expected one JSON object per line, got ${jsonKind(value)}`);
  }
  return validateRecord(value as Record<string, unknown>, location);
}

function validateRecord(raw: Record<string, unknown>, location: RecordLocation): ParsedLine {
  // A resource log names a resource configuration and no service; anything else is judged as a
  // service request, so a line with neither ARN is rejected for its missing serviceArn.
  const isResource = !isAbsent(raw.resourceConfigurationArn) && isAbsent(raw.serviceArn);
  const fields = isResource ? RESOURCE_FIELDS : SERVICE_FIELDS;
  // A null-prototype object: a `__proto__` key in the log becomes a plain entry, not a prototype.
  const extra: Record<string, JsonValue> = Object.create(null);
  const record: Record<string, unknown> = { kind: isResource ? 'resource' : 'service' };

  // for-in runs off V8's enum cache and costs a fraction of Object.keys on a fresh JSON.parse
  // object; hasOwn keeps it to the line's own keys, whatever may sit on Object.prototype.
  for (const key in raw) {
    if (!Object.hasOwn(raw, key)) continue;
    const value = raw[key];
    const check = fields.get(key);
    if (check === undefined) {
      extra[key] = value as JsonValue;
      continue;
    }
    if (isAbsent(value)) continue;
    const checked = checkField(key, check, value);
    if (checked instanceof FieldFailure) return reject(location, checked.field, checked.reason);
    record[key] = checked;
  }

  for (const key of isResource ? RESOURCE_REQUIRED : SERVICE_REQUIRED) {
    if (record[key] !== undefined) continue;
    const given = Object.hasOwn(raw, key) ? raw[key] : undefined;
    const reason =
      given === undefined
        ? `${key}: required field is missing`
        : `${key}: required field has no value (${JSON.stringify(given)})`;
    return reject(location, key, reason);
  }

  // Lattice names the SNI field serverNameIndication; the contract (and its readers) say Indicator.
  if (record.serverNameIndicator === undefined && record.serverNameIndication !== undefined) {
    record.serverNameIndicator = record.serverNameIndication;
  }
  record.extra = extra;
  return { ok: true, record: record as unknown as AccessLogRecord, location };
}

function reject(location: RecordLocation, field: string | undefined, reason: string): ParsedLine {
  return {
    ok: false,
    rejected: field === undefined ? { location, reason } : { location, field, reason },
  };
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** JSON.parse's own message, plus a plain word for the common case of a cut-off line. */
function jsonErrorReason(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // V8 reports where it stopped; stopping at the very end means the text ran out mid-value.
  const at = /at position (\d+)/.exec(message);
  const isTruncated =
    message.includes('end of JSON input') || (at !== null && Number(at[1]) >= text.length);
  return isTruncated
    ? `truncated JSON: the line ends before the object is complete (${message})`
    : `not valid JSON: ${message}`;
}
