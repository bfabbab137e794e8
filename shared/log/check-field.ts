// Checks and converts one known access-log field value, or says precisely why it is wrong.
// This is the hot path of parsing: checks are hand-written char tests, regexes only on cold paths.
import type { FieldCheck } from './fields.ts';
import type { JsonValue } from './types.ts';

/** Why a field value was refused: a sentence that starts with the field name. */
export class FieldFailure {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {}
}

/** The converted value of a field, or why it was refused. */
export type FieldValue = string | number | JsonValue | FieldFailure;

const SERVICE_ARN = /^arn:aws[-a-z]*:vpc-lattice:[a-z0-9-]+:\d{12}:service\/svc-[0-9a-z]+$/;
const RESOURCE_CONFIGURATION_ARN =
  /^arn:aws[-a-z]*:vpc-lattice:[a-z0-9-]+:\d{12}:resourceconfiguration\/rcfg-[0-9a-z]+$/;
const DIGITS = /^\d{1,15}$/;

// A log file names few services and carries many records per second, so the same ARN and
// the same start time repeat line after line: remember recent good ones and skip re-checking.
const MAX_REMEMBERED = 4096;
const goodArns = new Set<string>();
let lastGoodTimestamp = '';

/** Lattice writes `-` (older samples: the string `"null"`) for a value that does not apply. */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '-' || value === 'null' || value === '';
}

/** Checks `value` (present, not `-`) against `check`; returns the value to store or a failure. */
export function checkField(field: string, check: FieldCheck, value: unknown): FieldValue {
  switch (check) {
    case 'text':
      return typeof value === 'string' ? value : fail(field, 'expected a string', value);
    case 'json':
      return value as JsonValue;
    case 'count': {
      const n = toNumber(value);
      return n !== undefined && Number.isSafeInteger(n) && n >= 0
        ? n
        : fail(field, 'expected a non-negative integer', value);
    }
    case 'httpStatus': {
      const n = toNumber(value);
      return n !== undefined && Number.isInteger(n) && n >= 100 && n <= 599
        ? n
        : fail(field, 'expected an integer status 100-599', value);
    }
    case 'timestamp':
      return typeof value === 'string' && isUtcTimestamp(value)
        ? value
        : fail(field, 'expected an ISO 8601 UTC time such as "2026-11-20T10:15:30Z"', value);
    case 'method':
      return typeof value === 'string' && isToken(value)
        ? value
        : fail(field, 'expected an HTTP method such as "GET"', value);
    case 'requestPath':
      return typeof value === 'string' && value.charCodeAt(0) === 0x2f
        ? value
        : fail(field, 'expected a path starting with "/"', value);
    case 'serviceArn':
      return typeof value === 'string' && isArn(value, SERVICE_ARN)
        ? value
        : fail(field, 'expected arn:aws:vpc-lattice:REGION:ACCOUNT:service/svc-…', value);
    case 'resourceConfigurationArn':
      return typeof value === 'string' && isArn(value, RESOURCE_CONFIGURATION_ARN)
        ? value
        : fail(
            field,
            'expected arn:aws:vpc-lattice:REGION:ACCOUNT:resourceconfiguration/rcfg-…',
            value,
          );
  }
}

/** A short rendering of a bad value for an error message: strings quoted, structures named. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
      return JSON.stringify(shown);
    }
    case 'object':
      return 'an object';
    default:
      return String(value);
  }
}

function fail(field: string, expected: string, value: unknown): FieldFailure {
  return new FieldFailure(field, `${field}: ${expected}, got ${describeValue(value)}`);
}

/** A JSON number, or a string of digits (some pipelines stringify numbers). */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && DIGITS.test(value)) return Number(value);
  return undefined;
}

function isToken(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

function isArn(value: string, shape: RegExp): boolean {
  if (goodArns.has(value)) return true;
  if (!shape.test(value)) return false;
  if (goodArns.size >= MAX_REMEMBERED) goodArns.clear();
  goodArns.add(value);
  return true;
}

/** The number the two digits at `index` spell, or -1. */
function twoDigits(value: string, index: number): number {
  const tens = value.charCodeAt(index) - 0x30;
  const ones = value.charCodeAt(index + 1) - 0x30;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)` naming a real instant. Checked by hand rather than
 * with Date.parse, which is slower per line and rolls 2026-02-30 over to March 2 and hour 24 over
 * to the next day instead of refusing them.
 */
export function isUtcTimestamp(value: string): boolean {
  if (value === lastGoodTimestamp) return true;
  const n = value.length;
  if (n < 20) return false;
  if (value[4] !== '-' || value[7] !== '-' || value[10] !== 'T') return false;
  if (value[13] !== ':' || value[16] !== ':') return false;
  const century = twoDigits(value, 0);
  const yearOfCentury = twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1) return false;
  if (day > daysInMonth(century * 100 + yearOfCentury, month)) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  let i = 19;
  if (value.charCodeAt(i) === 0x2e) {
    i++;
    const fractionStart = i;
    while (i < n && value.charCodeAt(i) >= 0x30 && value.charCodeAt(i) <= 0x39) i++;
    if (i === fractionStart) return false;
  }
  const isUtc =
    (i === n - 1 && value.charCodeAt(i) === 0x5a) || (i === n - 6 && value.endsWith('+00:00'));
  if (!isUtc) return false;
  lastGoodTimestamp = value;
  return true;
}
