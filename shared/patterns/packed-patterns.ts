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

const KEY_LENGTH = KEY_FIELDS.length;

/** Packs patterns (unchanged) for postMessage; unpackPatterns gives equal ones back, in order. */
export function packPatterns(patterns: readonly CallPattern[]): PackedPatterns {
  const strings: string[] = [];
  const indexes = new Map<string, number>();
  const keys = new Int32Array(patterns.length * KEY_LENGTH);
  let at = 0;
  for (const pattern of patterns) {
    for (const field of KEY_FIELDS) {
      const value = pattern[field];
      let index = indexes.get(value);
      if (index === undefined) {
        index = strings.length;
        strings.push(value);
        indexes.set(value, index);
      }
      keys[at++] = index;
    }
  }
  return packKeyed(patterns, keys, strings);
}

/**
 * packPatterns for patterns whose key strings are already numbered: the KEY_FIELDS of pattern i
 * are `keyStrings[keys[i * KEY_FIELDS.length + k]]`. An aggregation table knows them (its string
 * ids), which spares a lookup of every key string.
 */
export function packKeyed(
  patterns: readonly CallPattern[],
  keys: Int32Array,
  keyStrings: readonly string[],
): PackedPatterns {
  const strings = keyStrings.slice();
  const numbers = new Float64Array(patterns.length * NUMBER_FIELDS.length);
  // Sized exactly: this runs at the end of reading, when memory peaks, and an array grown by
  // doubling then trimmed would hold up to three copies at once (measured: 5-9 MB of peak RSS on
  // the 1 GB bench).
  let idCount = 0;
  for (const p of patterns)
    idCount += KEY_LENGTH + 2 + p.examplePaths.length + p.sessionNames.length;
  const ids = new Int32Array(idCount);
  let at = 0;
  const pushId = (id: number) => {
    ids[at++] = id;
  };
  // Examples are sent once each: the same paths and session names recur from hour to hour, and
  // the receiver's patterns then share one string each (measured: 12x fewer strings on the bench).
  const exampleIndexes = new Map<string, number>();
  const pushList = (values: readonly string[]) => {
    pushId(values.length);
    for (const value of values) {
      let index = exampleIndexes.get(value);
      if (index === undefined) {
        index = strings.length;
        strings.push(value);
        exampleIndexes.set(value, index);
      }
      pushId(index);
    }
  };
  let n = 0;
  patterns.forEach((p, i) => {
    for (let k = 0; k < KEY_LENGTH; k++) pushId(keys[i * KEY_LENGTH + k] as number);
    // Spelled out in NUMBER_FIELDS order: a property read by a computed name is several times
    // slower, and the worker's packing is time the main thread waits for.
    numbers[n++] = p.requests;
    numbers[n++] = p.status1xx;
    numbers[n++] = p.status2xx;
    numbers[n++] = p.status3xx;
    numbers[n++] = p.status4xx;
    numbers[n++] = p.status5xx;
    numbers[n++] = p.authDenied;
    numbers[n++] = p.other4xx;
    numbers[n++] = p.bytesReceived;
    numbers[n++] = p.bytesSent;
    numbers[n++] = p.durationSumMs;
    numbers[n++] = p.durationMaxMs;
    numbers[n++] = p.firstSeen;
    numbers[n++] = p.lastSeen;
    pushList(p.examplePaths);
    pushList(p.sessionNames);
  });
  return { count: patterns.length, strings, numbers, ids };
}

/**
 * The patterns packPatterns packed, as new objects. `keyString` maps each distinct key string
 * once (the receiver's own copy of it, so that equal keys share one string object).
 */
export function unpackPatterns(
  packed: PackedPatterns,
  keyString: (value: string) => string = (value) => value,
): CallPattern[] {
  const { strings } = packed;
  const keyStrings = new Array<string | undefined>(strings.length);
  const patterns: CallPattern[] = [];
  forEachPacked(
    packed,
    (index) => index,
    (index) => {
      let value = keyStrings[index];
      if (value === undefined) {
        value = keyString(strings[index] as string);
        keyStrings[index] = value;
      }
      return value;
    },
    (pattern) => patterns.push(pattern),
  );
  return patterns;
}

/**
 * Visits the packed patterns in order, each a new object with its key as ids: `keyId` maps a
 * packed string index to the receiver's id of that string (called for every key field, so it
 * should remember), `keyValue` an id to the string the pattern is to hold. `key` is reused.
 */
export function forEachPacked(
  packed: PackedPatterns,
  keyId: (stringIndex: number) => number,
  keyValue: (id: number) => string,
  visit: (pattern: CallPattern, key: Int32Array) => void,
): void {
  const { count, strings, numbers, ids } = packed;
  const key = new Int32Array(KEY_LENGTH);
  let at = 0;
  let n = 0;
  const list = (): string[] => {
    const length = ids[at++] as number;
    const values = new Array<string>(length);
    for (let k = 0; k < length; k++) values[k] = strings[ids[at++] as number] as string;
    return values;
  };
  const number = (): number => {
    const value = numbers[n++] as number;
    // Small integers as int32, as aggregation stores them: a double read from the array would
    // make V8 widen these fields for every pattern (measured: 12 MB more heap on 176k patterns).
    return (value | 0) === value ? value | 0 : value;
  };
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < KEY_LENGTH; k++) key[k] = keyId(ids[at++] as number);
    // Spelled out in CallPattern's field order (as copyPattern), one shape for every pattern.
    visit(
      {
        hour: keyValue(key[0] as number),
        recordKind: keyValue(key[1] as number) as CallPattern['recordKind'],
        serviceNetworkArn: keyValue(key[2] as number),
        serviceArn: keyValue(key[3] as number),
        callerPrincipal: keyValue(key[4] as number),
        callerKind: keyValue(key[5] as number) as CallPattern['callerKind'],
        callerAccount: keyValue(key[6] as number),
        callerX509SubjectCN: keyValue(key[7] as number),
        requestMethod: keyValue(key[8] as number),
        pathTemplate: keyValue(key[9] as number),
        sourceVpcId: keyValue(key[10] as number),
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
      },
      key,
    );
  }
}
