// The fast parse path: reads the fields aggregation needs straight out of a line's text, for the
// lines whose key layout has been seen before, and gives up (the caller then runs the strict
// parser, parse-line.ts) on anything else. It never rejects a line: rejections are the strict
// parser's alone, so both paths report bad input in the same words.
import { isUtcTimestamp } from './check-field.ts';
import {
  type FieldCheck,
  RESOURCE_FIELDS,
  RESOURCE_REQUIRED,
  SERVICE_FIELDS,
  SERVICE_REQUIRED,
} from './fields.ts';

/**
 * The fields of a service access-log line that call patterns are built from, with the values
 * the strict parser would store (`undefined` where Lattice wrote `-`, `"null"`, `""` or null).
 * `startMs` is `Date.parse(startTime)`.
 */
export interface FastServiceRecord {
  kind: 'service';
  startTime: string;
  startMs: number;
  duration: number | undefined;
  requestMethod: string;
  requestPath: string;
  responseCode: number;
  bytesReceived: number | undefined;
  bytesSent: number | undefined;
  sourceVpcId: string | undefined;
  sourceVpcArn: string | undefined;
  serviceNetworkArn: string | undefined;
  serviceArn: string;
  callerPrincipal: string | undefined;
  callerX509SubjectCN: string | undefined;
  authDeniedReason: string | undefined;
}

/** The fields of a resource access-log line that call patterns are built from (see above). */
export interface FastResourceRecord {
  kind: 'resource';
  startTime: string;
  startMs: number;
  endTime: string | undefined;
  serviceNetworkArn: string | undefined;
  sourceVpcArn: string | undefined;
  sourceVpcId: string | undefined;
  resourceConfigurationArn: string;
  protocol: string | undefined;
  destinationIpPort: string | undefined;
  resourceIpPort: string | undefined;
  sentBytes: number | undefined;
  receivedBytes: number | undefined;
}

/**
 * A line read by the fast path. The object is reused for the next line, and its strings may be
 * views into the text they were read from: copy what you keep.
 */
export type FastAccessLogRecord = FastServiceRecord | FastResourceRecord;

/*
 * How it works. Lattice (like any log writer) prints every line with the same keys in the same
 * order, compact. When the strict parser has accepted a line, its key order is turned into one
 * regular expression that accepts exactly the lines with those keys in that order whose values
 * the strict parser would accept too: strings without escapes or control characters, counts as
 * plain digits or absent, the ARNs and times in their checked shapes, unknown values as JSON
 * scalars or flat objects and arrays. Anything outside that (an escape, a reordered, missing or
 * repeated key, whitespace, a number written as a string, deep nesting) does not match and goes
 * to the strict parser. V8 runs such an expression as compiled code over the line once,
 * allocating only the captured values: about twice as fast as JSON.parse alone, which also
 * builds every one of the ~40 fields.
 */

/** The characters of a JSON string without escapes: JSON.parse refuses raw control characters. */
const BODY = String.raw`[^"\\\x00-\x1f]*`;
const STRING = `"${BODY}"`;
const NUMBER = String.raw`-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?`;
const SCALAR = `(?:${STRING}|${NUMBER}|true|false|null)`;
const FLAT_OBJECT = String.raw`\{(?:${STRING}:${SCALAR}(?:,${STRING}:${SCALAR})*)?\}`;
const FLAT_ARRAY = String.raw`\[(?:${SCALAR}(?:,${SCALAR})*)?\]`;
/** Any JSON value but a nested structure: what an unknown field or a `json` field may hold. */
const VALUE = `(?:${SCALAR}|${FLAT_OBJECT}|${FLAT_ARRAY})`;
/** Spellings of "not applicable" for a string-typed field (see isAbsent in check-field.ts). */
const ABSENT_STRING = '"(?:-|null|)"';
/** At most 15 digits: always a safe integer, as the strict check demands. */
const DIGITS = String.raw`0|[1-9]\d{0,14}`;
const SERVICE_ARN = String.raw`arn:aws[-a-z]*:vpc-lattice:[a-z0-9-]+:\d{12}:service/svc-[0-9a-z]+`;
const RESOURCE_CONFIGURATION_ARN = String.raw`arn:aws[-a-z]*:vpc-lattice:[a-z0-9-]+:\d{12}:resourceconfiguration/rcfg-[0-9a-z]+`;

/** The value pattern of a known field, with or without a capture of what aggregation reads. */
function valuePattern(check: FieldCheck, isCaptured: boolean): string {
  const open = isCaptured ? '(' : '(?:';
  switch (check) {
    case 'text':
      return `(?:"${open}${BODY})"|null)`;
    case 'count':
      return `(?:${open}${DIGITS})|${ABSENT_STRING}|null)`;
    case 'json':
      return VALUE;
    // Required fields: present and well-formed, or the line is the strict parser's to judge.
    case 'timestamp':
      return String.raw`"${open}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3})?Z)"`;
    case 'method':
      // isToken's range (0x21-0x7e) minus the two characters JSON would have to escape.
      return String.raw`"${open}[\x21\x23-\x5b\x5d-\x7e]+)"`;
    case 'requestPath':
      return `"${open}/${BODY})"`;
    case 'httpStatus':
      return String.raw`${open}[1-5]\d\d)`;
    case 'serviceArn':
      return `"${open}${SERVICE_ARN})"`;
    case 'resourceConfigurationArn':
      return `"${open}${RESOURCE_CONFIGURATION_ARN})"`;
  }
}

const SERVICE_SLOTS = [
  'startTime',
  'duration',
  'requestMethod',
  'requestPath',
  'responseCode',
  'bytesReceived',
  'bytesSent',
  'sourceVpcId',
  'sourceVpcArn',
  'serviceNetworkArn',
  'serviceArn',
  'callerPrincipal',
  'callerX509SubjectCN',
  'authDeniedReason',
] as const;

const RESOURCE_SLOTS = [
  'startTime',
  'endTime',
  'serviceNetworkArn',
  'sourceVpcArn',
  'sourceVpcId',
  'resourceConfigurationArn',
  'protocol',
  'destinationIpPort',
  'resourceIpPort',
  'sentBytes',
  'receivedBytes',
] as const;

/** A field of a service key layout as a compiled reader checks it (see serviceLayoutFields). */
export interface ServiceLayoutField {
  key: string;
  /** Its check; `json` for a field the parser does not know. */
  check: FieldCheck;
  /** Where its value goes among the fields FastServiceRecord reads (in SERVICE_SLOTS order), or -1. */
  slot: number;
}

/**
 * The fields of the service layout `keys` (as AccessLogLineScanner.learn returns them), each
 * with the check its layout pattern makes; undefined for a resource layout.
 */
export function serviceLayoutFields(keys: readonly string[]): ServiceLayoutField[] | undefined {
  if (!keys.includes('serviceArn')) return undefined;
  const slots: readonly string[] = SERVICE_SLOTS;
  return keys.map((key) => ({
    key,
    check: SERVICE_FIELDS.get(key) ?? 'json',
    slot: slots.indexOf(key),
  }));
}

/** One key order seen in the input, compiled. `groups[slot]` is the capture index, 0 if absent. */
interface Layout {
  keys: readonly string[];
  signature: string;
  kind: 'service' | 'resource';
  pattern: RegExp;
  groups: Int32Array;
}

/** How many key orders one scanner tries per line, most recently matched first. */
const MAX_LAYOUTS = 4;
/** Learning costs a JSON.parse and a compile; after this many useless tries, learn rarely. */
const MAX_FAILED_LEARNINGS = 32;
const RARE_LEARNING_EVERY = 1024;
/** A key that needs no JSON escape and no regex escape, as every Lattice field name. */
const PLAIN_KEY = /^[A-Za-z0-9_-]{1,128}$/;

// Compiled layouts are shared by every scanner, so many small files pay for a compile once.
const compiledLayouts = new Map<string, Layout | null>();
const MAX_COMPILED_LAYOUTS = 64;

function compileLayout(keys: readonly string[]): Layout | null {
  const signature = keys.join(',');
  const known = compiledLayouts.get(signature);
  if (known !== undefined) return known;
  const layout = buildLayout(keys, signature);
  if (compiledLayouts.size >= MAX_COMPILED_LAYOUTS) compiledLayouts.clear();
  compiledLayouts.set(signature, layout);
  return layout;
}

function buildLayout(keys: readonly string[], signature: string): Layout | null {
  if (keys.length === 0 || !keys.every((key) => PLAIN_KEY.test(key))) return null;
  if (new Set(keys).size !== keys.length) return null;
  // The strict parser judges a line without a serviceArn as a resource record; with a serviceArn
  // the service pattern below demands a real one, so a matching line is a service record.
  const kind = keys.includes('serviceArn')
    ? 'service'
    : keys.includes('resourceConfigurationArn')
      ? 'resource'
      : undefined;
  if (kind === undefined) return null;
  const required = kind === 'service' ? SERVICE_REQUIRED : RESOURCE_REQUIRED;
  if (!required.every((key) => keys.includes(key))) return null;
  const fields = kind === 'service' ? SERVICE_FIELDS : RESOURCE_FIELDS;
  const slots: readonly string[] = kind === 'service' ? SERVICE_SLOTS : RESOURCE_SLOTS;
  const groups = new Int32Array(slots.length);
  let group = 0;
  const parts = keys.map((key) => {
    const check = fields.get(key);
    if (check === undefined) return `"${key}":${VALUE}`;
    const slot = slots.indexOf(key);
    if (slot !== -1) groups[slot] = ++group;
    return `"${key}":${valuePattern(check, slot !== -1)}`;
  });
  // Sticky: matched where the line starts in a larger text, never searched for.
  const pattern = new RegExp(String.raw`\{${parts.join(',')}\}`, 'y');
  return { keys: [...keys], signature, kind, pattern, groups };
}

// The last start time read and the hour it falls in, remembered: lines come in time order, many
// per second and thousands per hour.
let lastTime = '';
let lastTimeMs = 0;
let hourPrefix = '\u0000';
let hourStartMs = Number.NaN;

/**
 * The start of the hour `YYYY-MM-DDTHH` (digits where the layout pattern put them) in epoch ms,
 * or NaN when it names no real hour (what isUtcTimestamp refuses: month 13, February 30 …).
 */
export function hourStartMsOf(prefix: string): number {
  const hour = `${prefix}:00:00Z`;
  return isUtcTimestamp(hour) ? Date.parse(hour) : Number.NaN;
}

function digitAt(text: string, index: number): number {
  return text.charCodeAt(index) - 0x30;
}

/**
 * Date.parse of a time the layout pattern already shaped (`YYYY-MM-DDTHH:MM:SS[.mmm]Z`), or NaN
 * when it does not name a real instant (what isUtcTimestamp refuses: month 13, February 30 …).
 */
function epochMsOf(time: string): number {
  if (time === lastTime) return lastTimeMs;
  if (!time.startsWith(hourPrefix)) {
    const prefix = time.slice(0, 13);
    const startMs = hourStartMsOf(prefix);
    if (Number.isNaN(startMs)) return Number.NaN;
    hourPrefix = prefix;
    hourStartMs = startMs;
  }
  const minutes = digitAt(time, 14) * 10 + digitAt(time, 15);
  const seconds = digitAt(time, 17) * 10 + digitAt(time, 18);
  if (minutes > 59 || seconds > 59) return Number.NaN;
  const millis =
    time.length === 24 ? digitAt(time, 20) * 100 + digitAt(time, 21) * 10 + digitAt(time, 22) : 0;
  lastTime = time;
  lastTimeMs = hourStartMs + minutes * 60_000 + seconds * 1000 + millis;
  return lastTimeMs;
}

function textOf(value: string | undefined): string | undefined {
  return value === undefined || value === '-' || value === 'null' || value === ''
    ? undefined
    : value;
}

function countOf(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/**
 * Reads lines in the key layouts it has learned. One scanner per input stream: it remembers
 * which layouts that stream uses, most recent first.
 */
export class AccessLogLineScanner {
  readonly #layouts: Layout[] = [];
  #failedLearnings = 0;
  #fallbacks = 0;
  readonly #service: FastServiceRecord = {
    kind: 'service',
    startTime: '',
    startMs: 0,
    duration: undefined,
    requestMethod: '',
    requestPath: '',
    responseCode: 0,
    bytesReceived: undefined,
    bytesSent: undefined,
    sourceVpcId: undefined,
    sourceVpcArn: undefined,
    serviceNetworkArn: undefined,
    serviceArn: '',
    callerPrincipal: undefined,
    callerX509SubjectCN: undefined,
    authDeniedReason: undefined,
  };
  readonly #resource: FastResourceRecord = {
    kind: 'resource',
    startTime: '',
    startMs: 0,
    endTime: undefined,
    serviceNetworkArn: undefined,
    sourceVpcArn: undefined,
    sourceVpcId: undefined,
    resourceConfigurationArn: '',
    protocol: undefined,
    destinationIpPort: undefined,
    resourceIpPort: undefined,
    sentBytes: undefined,
    receivedBytes: undefined,
  };

  /**
   * The record of the line `text[start, end)` (no line break, no trailing `\r`), or undefined
   * when the line is not one the fast path reads: parse it with parseAccessLogLine then.
   */
  scan(text: string, start: number, end: number): FastAccessLogRecord | undefined {
    const layouts = this.#layouts;
    for (let i = 0; i < layouts.length; i++) {
      const layout = layouts[i] as Layout;
      const { pattern } = layout;
      pattern.lastIndex = start;
      const match = pattern.exec(text);
      if (match === null || pattern.lastIndex !== end) continue;
      if (i > 0) {
        layouts.splice(i, 1);
        layouts.unshift(layout);
      }
      return layout.kind === 'service'
        ? this.#serviceRecord(match, layout.groups)
        : this.#resourceRecord(match, layout.groups);
    }
    this.#fallbacks++;
    return undefined;
  }

  /** Whether a line the strict parser just accepted should be offered to `learn`. */
  get wantsToLearn(): boolean {
    return (
      this.#failedLearnings < MAX_FAILED_LEARNINGS || this.#fallbacks % RARE_LEARNING_EVERY === 0
    );
  }

  /**
   * Learns the key layout of `line`, a line the strict parser accepted. Returns the keys of the
   * layout when it is new to this scanner (a compiled reader may learn it too), else undefined.
   */
  learn(line: string): readonly string[] | undefined {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.#failedLearnings++;
      return undefined;
    }
    const layout =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? compileLayout(Object.keys(value))
        : null;
    if (layout === null || this.#layouts.some((known) => known.signature === layout.signature)) {
      this.#failedLearnings++;
      return undefined;
    }
    layout.pattern.lastIndex = 0;
    // Object.keys lists integer-like keys first, whatever their place in the text: such a
    // layout would never match, and neither would one the line does not fit for other reasons.
    if (!layout.pattern.test(line) || layout.pattern.lastIndex !== line.length) {
      this.#failedLearnings++;
      return undefined;
    }
    if (this.#layouts.length >= MAX_LAYOUTS) this.#layouts.pop();
    this.#layouts.unshift(layout);
    return layout.keys;
  }

  #serviceRecord(match: RegExpExecArray, groups: Int32Array): FastServiceRecord | undefined {
    const requestMethod = match[groups[2] as number] as string;
    // `-` and "null" fit the method shape but mean "absent": the strict parser rejects them.
    if (requestMethod === '-' || requestMethod === 'null') return undefined;
    const startTime = match[groups[0] as number] as string;
    const startMs = epochMsOf(startTime);
    if (Number.isNaN(startMs)) return undefined;
    const record = this.#service;
    record.startTime = startTime;
    record.startMs = startMs;
    record.duration = countOf(capture(match, groups[1]));
    record.requestMethod = requestMethod;
    record.requestPath = match[groups[3] as number] as string;
    record.responseCode = Number(match[groups[4] as number]);
    record.bytesReceived = countOf(capture(match, groups[5]));
    record.bytesSent = countOf(capture(match, groups[6]));
    record.sourceVpcId = textOf(capture(match, groups[7]));
    record.sourceVpcArn = textOf(capture(match, groups[8]));
    record.serviceNetworkArn = textOf(capture(match, groups[9]));
    record.serviceArn = match[groups[10] as number] as string;
    record.callerPrincipal = textOf(capture(match, groups[11]));
    record.callerX509SubjectCN = textOf(capture(match, groups[12]));
    record.authDeniedReason = textOf(capture(match, groups[13]));
    return record;
  }

  #resourceRecord(match: RegExpExecArray, groups: Int32Array): FastResourceRecord | undefined {
    const startTime = match[groups[0] as number] as string;
    const startMs = epochMsOf(startTime);
    if (Number.isNaN(startMs)) return undefined;
    const record = this.#resource;
    record.startTime = startTime;
    record.startMs = startMs;
    record.endTime = textOf(capture(match, groups[1]));
    record.serviceNetworkArn = textOf(capture(match, groups[2]));
    record.sourceVpcArn = textOf(capture(match, groups[3]));
    record.sourceVpcId = textOf(capture(match, groups[4]));
    record.resourceConfigurationArn = match[groups[5] as number] as string;
    record.protocol = textOf(capture(match, groups[6]));
    record.destinationIpPort = textOf(capture(match, groups[7]));
    record.resourceIpPort = textOf(capture(match, groups[8]));
    record.sentBytes = countOf(capture(match, groups[9]));
    record.receivedBytes = countOf(capture(match, groups[10]));
    return record;
  }
}

/** The captured value of a slot; undefined when the layout has no such key or it was absent. */
function capture(match: RegExpExecArray, group: number | undefined): string | undefined {
  return group === undefined || group === 0 ? undefined : match[group];
}
