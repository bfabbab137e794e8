// Call patterns packed for another thread: each distinct string once, numbers in typed arrays.
// Structured cloning of the objects themselves writes every ARN again for every pattern
// (measured: 88k patterns, 69 MB, about 1.2 s to serialize and deserialize).
import { KEY_FIELDS } from './key-fields.ts';
import type { CallPattern, CallPatternCounters } from './types.ts';

/** Patterns as postMessage carries them cheaply; `numbers` and `ids` can be transferred. */
export interface PackedPatterns {
  count: number;
  /** Each distinct string of the patterns once. */
  strings: string[];
  /** Per pattern, the NUMBER_FIELDS in order. */
  numbers: Float64Array<ArrayBuffer>;
  /**
   * Per pattern, the string index of each KEY_FIELDS value, then the example path count and
   * indexes, then the session name count and indexes.
   */
  ids: Int32Array<ArrayBuffer>;
}

const NUMBER_FIELDS = [
  'requests',
  'status1xx',
  'status2xx',
  'status3xx',
  'status4xx',
  'status5xx',
  'authDenied',
  'other4xx',
  'bytesReceived',
  'bytesSent',
  'durationSumMs',
  'durationMaxMs',
  'firstSeen',
  'lastSeen',
] as const satisfies readonly Exclude<keyof CallPatternCounters, 'examplePaths' | 'sessionNames'>[];

/** Packs patterns (unchanged) for postMessage; unpackPatterns gives equal ones back, in order. */
export function packPatterns(patterns: readonly CallPattern[]): PackedPatterns {
  const strings: string[] = [];
  const indexes = new Map<string, number>();
  const indexOf = (value: string): number => {
    let index = indexes.get(value);
    if (index === undefined) {
      index = strings.length;
      strings.push(value);
      indexes.set(value, index);
    }
    return index;
  };
  const numbers = new Float64Array(patterns.length * NUMBER_FIELDS.length);
  let ids = new Int32Array(patterns.length * (KEY_FIELDS.length + 4));
  let at = 0;
  const pushId = (id: number) => {
    if (at === ids.length) {
      const grown = new Int32Array(ids.length * 2);
      grown.set(ids);
      ids = grown;
    }
    ids[at++] = id;
  };
  let n = 0;
  for (const pattern of patterns) {
    for (const field of KEY_FIELDS) pushId(indexOf(pattern[field]));
    for (const field of NUMBER_FIELDS) numbers[n++] = pattern[field];
    pushId(pattern.examplePaths.length);
    for (const value of pattern.examplePaths) pushId(indexOf(value));
    pushId(pattern.sessionNames.length);
    for (const value of pattern.sessionNames) pushId(indexOf(value));
  }
  return { count: patterns.length, strings, numbers, ids: ids.slice(0, at) };
}

/**
 * The patterns packPatterns packed, as new objects. `keyString` maps each distinct key string
 * once (the receiver's own copy of it, so that equal keys share one string object).
 */
export function unpackPatterns(
  packed: PackedPatterns,
  keyString: (value: string) => string = (value) => value,
): CallPattern[] {
  const { count, strings, numbers, ids } = packed;
  const patterns = new Array<CallPattern>(count);
  const keyStrings = new Array<string | undefined>(strings.length);
  let at = 0;
  let n = 0;
  const list = (): string[] => {
    const length = ids[at++] as number;
    const values = new Array<string>(length);
    for (let k = 0; k < length; k++) values[k] = strings[ids[at++] as number] as string;
    return values;
  };
  const text = (): string => {
    const index = ids[at++] as number;
    let value = keyStrings[index];
    if (value === undefined) {
      value = keyString(strings[index] as string);
      keyStrings[index] = value;
    }
    return value;
  };
  const number = (): number => {
    const value = numbers[n++] as number;
    // Small integers as int32, as aggregation stores them: a double read from the array would
    // make V8 widen these fields for every pattern (measured: 12 MB more heap on 176k patterns).
    return (value | 0) === value ? value | 0 : value;
  };
  for (let i = 0; i < count; i++) {
    // Spelled out in CallPattern's field order (as copyPattern), one shape for every pattern.
    const hour = text();
    const recordKind = text() as CallPattern['recordKind'];
    const serviceNetworkArn = text();
    const serviceArn = text();
    const callerPrincipal = text();
    const callerKind = text() as CallPattern['callerKind'];
    const callerAccount = text();
    const callerX509SubjectCN = text();
    const requestMethod = text();
    const pathTemplate = text();
    const sourceVpcId = text();
    patterns[i] = {
      hour,
      recordKind,
      serviceNetworkArn,
      serviceArn,
      callerPrincipal,
      callerKind,
      callerAccount,
      callerX509SubjectCN,
      requestMethod,
      pathTemplate,
      sourceVpcId,
      requests: number(),
      status1xx: number(),
      status2xx: number(),
      status3xx: number(),
      status4xx: number(),
      status5xx: number(),
      authDenied: number(),
      other4xx: number(),
      bytesReceived: number(),
      bytesSent: number(),
      durationSumMs: number(),
      durationMaxMs: number(),
      firstSeen: number(),
      lastSeen: number(),
      examplePaths: list(),
      sessionNames: list(),
    };
  }
  return patterns;
}
