// One valid access-log entry → the JSON line Firehose delivers: the original text, verbatim, with
// the derived fields appended under one key, plus the partition keys of dynamic partitioning.
import type { AccessLogRecord } from '../log/index.ts';
import { callPatternOf, hourOf } from '../patterns/index.ts';
import { DERIVED_FIELDS_KEY, type DerivedFields, type PartitionKeys } from './types.ts';

/**
 * The derived fields of an entry. They come from callPatternOf, the same definitions the
 * call-pattern summaries use (principal normalization, path template, auth denial).
 */
export function deriveFields(record: AccessLogRecord): DerivedFields {
  const pattern = callPatternOf(record);
  const sessionName = pattern.sessionNames[0];
  // Keys in a fixed order, optional ones left out when unknown, so every line reads the same way.
  return {
    recordKind: record.kind,
    serviceId: serviceIdOf(pattern.serviceArn),
    callerPrincipal: pattern.callerPrincipal,
    callerKind: pattern.callerKind,
    ...(pattern.callerAccount === '' ? {} : { callerAccount: pattern.callerAccount }),
    ...(sessionName === undefined ? {} : { sessionName }),
    pathTemplate: pattern.pathTemplate,
    isAuthDenied: pattern.authDenied > 0,
  };
}

/** `service`, `dt`, `hour` of an entry, from its `startTime` in UTC. */
export function partitionKeysOf(record: AccessLogRecord, derived: DerivedFields): PartitionKeys {
  // The validator accepts only UTC instants, so the UTC hour of startTime is its partition.
  const hour = hourOf(Date.parse(record.startTime));
  return { service: derived.serviceId, dt: hour.slice(0, 10), hour: hour.slice(11, 13) };
}

/**
 * The output line (without its newline) for `text`, the JSON object `record` was parsed from.
 * Every original member is kept as written (order, `-` values, number spelling, escapes): the
 * derived object is spliced in before the closing brace instead of re-serializing the entry.
 */
export function appendDerivedFields(
  text: string,
  record: AccessLogRecord,
  derived: DerivedFields,
): string {
  const body = toSingleLine(text);
  const derivedJson = JSON.stringify(derived);
  if (Object.hasOwn(record.extra, DERIVED_FIELDS_KEY)) {
    // An entry that already went through this transform (replayed from S3): replace the stale
    // derived fields in place rather than write the key twice.
    const object = JSON.parse(body) as Record<string, unknown>;
    object[DERIVED_FIELDS_KEY] = derived;
    return JSON.stringify(object);
  }
  const open = body.slice(0, -1);
  const isEmptyObject = open.trim() === '{';
  return `${open}${isEmptyObject ? '' : ','}"${DERIVED_FIELDS_KEY}":${derivedJson}}`;
}

/**
 * The entry on one line, without surrounding whitespace. Raw line breaks can only be whitespace
 * between JSON tokens (inside strings they must be escaped), so a pretty-printed entry becomes one
 * JSON line by turning them into spaces; a compact entry is returned as it is.
 */
export function toSingleLine(text: string): string {
  const body = text.trim();
  return body.includes('\n') || body.includes('\r') ? body.replace(/[\r\n]/g, ' ') : body;
}

/** The id at the end of a service or resource-configuration ARN (`…:service/svc-…` → `svc-…`). */
export function serviceIdOf(arn: string): string {
  const slash = arn.lastIndexOf('/');
  return slash === -1 ? arn : arn.slice(slash + 1);
}
