// The transform's fast path: derives an entry's fields from the key layouts the log fast parse
// path has learned (shared/log/fast-parse.ts) and writes the derived object from JSON fragments
// remembered per distinct service, caller and path within one invocation. It never rejects an
// entry: anything it does not read goes to the strict path (parseAccessLogLine + deriveFields),
// which stays the reference; a differential test holds the two byte for byte equal.
import { type CallerIdentity, dependsOnService, identifyCallerFields } from '../identity/index.ts';
import { AccessLogLineScanner, type FastAccessLogRecord } from '../log/fast-parse.ts';
import { requestPathOf, templatePath } from '../paths/index.ts';
import { isDigitsAt, isUuidAt } from '../paths/segment-at.ts';
import { portOf } from '../patterns/call-pattern.ts';
import { serviceIdOf } from './enrich-record.ts';
import { partitionKeysBytes } from './response-budget.ts';
import { DERIVED_FIELDS_KEY, type PartitionKeys } from './types.ts';

/** What the fast path read and wrote for one entry. Reused by the next call: copy what you keep. */
export interface FastEnrichment {
  /** The entry is `text[start, end)`, without surrounding whitespace; `text[end - 1]` is `}`. */
  start: number;
  end: number;
  /**
   * What replaces the closing brace: `,"latticeLens":{…}}`. The output line (without its newline)
   * is `text.slice(start, end - 1) + derivedTail`.
   */
  derivedTail: string;
  serviceId: string;
  isAuthDenied: boolean;
  /**
   * `{ partitionKeys: { service, dt, hour } }` with the date and hour of startTime (UTC: the fast
   * path reads only `…Z` times). One object per service and hour, shared by its records: nothing
   * changes it, and thousands of records a batch then hold no copies.
   */
  metadata: PartitionMetadata;
  /** responseRecordBytes' count for the partition keys' members (partitionKeysBytes). */
  partitionKeysBytes: number;
}

export interface PartitionMetadata {
  partitionKeys: PartitionKeys;
}

interface MetadataEntry {
  metadata: PartitionMetadata;
  bytes: number;
}

/** The start of the derived object up to `serviceId`, and the id itself, per service ARN. */
interface ServiceFragment {
  json: string;
  serviceId: string;
}

/**
 * Entries per memo table. A Firehose batch holds at most a few thousand records, so real batches
 * never fill one; a hostile batch of distinct values only costs misses (the table is cleared).
 */
const MAX_MEMO_ENTRIES = 4096;
/** A bare account id as callerPrincipal: its root ARN takes the partition of the service called. */
/** The key the replay case (an entry already carrying derived fields) is recognized by. */
const DERIVED_KEY_TEXT = `"${DERIVED_FIELDS_KEY}"`;
const DERIVED_KEY_JSON = `,"${DERIVED_FIELDS_KEY}":`;
const DENIED_TAIL = ',"isAuthDenied":true}}';
const ALLOWED_TAIL = ',"isAuthDenied":false}}';

const FRONT_SLOTS = 256;

/**
 * A Map that forgets everything when full: bounded memory whatever the input. Keys are fresh
 * strings cut from each entry, and hashing a whole ARN costs V8 more than comparing it: a small
 * direct-mapped front table, indexed by the length and a few characters, answers repeats first.
 */
class BoundedMap<V> {
  readonly #map = new Map<string, V>();
  readonly #frontKeys: (string | undefined)[] = new Array(FRONT_SLOTS).fill(undefined);
  readonly #frontValues: (V | undefined)[] = new Array(FRONT_SLOTS).fill(undefined);

  get(key: string): V | undefined {
    const slot = frontSlot(key);
    if (this.#frontKeys[slot] === key) return this.#frontValues[slot];
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#frontKeys[slot] = key;
      this.#frontValues[slot] = value;
    }
    return value;
  }

  set(key: string, value: V): V {
    if (this.#map.size >= MAX_MEMO_ENTRIES) this.#map.clear();
    this.#map.set(key, value);
    return value;
  }
}

function frontSlot(key: string): number {
  const n = key.length;
  if (n === 0) return 0;
  return (
    (n * 31 +
      key.charCodeAt(n - 1) * 7 +
      key.charCodeAt(n >> 1) * 131 +
      key.charCodeAt((n * 3) >> 2) * 17) &
    (FRONT_SLOTS - 1)
  );
}

/**
 * One per invocation: its scanner learns the batch's key layouts from entries the strict parser
 * accepted (`learn`), and its memo tables hold the JSON of each distinct service, caller and path.
 */
export class FastEnricher {
  readonly #scanner = new AccessLogLineScanner();
  readonly #services = new BoundedMap<ServiceFragment>();
  readonly #resources = new BoundedMap<ServiceFragment>();
  /** `,"callerPrincipal":…` up to `sessionName`, by callerPrincipal (named callers). */
  readonly #callers = new BoundedMap<string>();
  /** The same for unsigned callers, by sourceVpcArn (its owner is the caller's account). */
  readonly #anonymous = new BoundedMap<string>();
  /** The template of a raw path segment (fast-parsed paths hold no escapes: raw is the text). */
  readonly #segments = new BoundedMap<string>();
  /** `,"pathTemplate":…` by destination port, for a resource entry. */
  readonly #ports = new BoundedMap<string>();
  /** Partition metadata by `YYYY-MM-DDTHH serviceId`. */
  readonly #metadata = new BoundedMap<MetadataEntry>();
  readonly #result: FastEnrichment = {
    start: 0,
    end: 0,
    derivedTail: '',
    serviceId: '',
    isAuthDenied: false,
    metadata: { partitionKeys: { service: '', dt: '', hour: '' } },
    partitionKeysBytes: 0,
  };

  /**
   * The enrichment of `text` (a record's whole decoded text), or undefined when the fast path
   * does not read it: run the strict path then, and `learn` from it if it is accepted.
   */
  enrich(text: string): FastEnrichment | undefined {
    let start = 0;
    let end = text.length;
    while (start < end && isWhitespace(text.charCodeAt(start))) start++;
    while (end > start && isWhitespace(text.charCodeAt(end - 1))) end--;
    if (end - start < 2) return undefined;
    // The scanner matches only the key layouts it learned, and `learn` never teaches it one with
    // the derived key: an entry that already carries derived fields (a replay) is the strict
    // path's to rewrite.
    const record = this.#scanner.scan(text, start, end);
    if (record === undefined) return undefined;
    const derived = this.#derivedJson(record);
    const result = this.#result;
    result.start = start;
    result.end = end;
    result.derivedTail = `${DERIVED_KEY_JSON}${derived}`;
    const entry = this.#metadataOf(record.startTime, result.serviceId);
    result.metadata = entry.metadata;
    result.partitionKeysBytes = entry.bytes;
    return result;
  }

  #metadataOf(startTime: string, serviceId: string): MetadataEntry {
    const hour = startTime.slice(0, 13);
    const key = `${hour} ${serviceId}`;
    const known = this.#metadata.get(key);
    if (known !== undefined) return known;
    const partitionKeys: PartitionKeys = {
      service: serviceId,
      dt: hour.slice(0, 10),
      hour: hour.slice(11, 13),
    };
    return this.#metadata.set(key, {
      metadata: { partitionKeys },
      bytes: partitionKeysBytes(partitionKeys),
    });
  }

  /** Offers an entry the strict parser accepted to the scanner, to read its layout from now on. */
  learn(text: string): void {
    if (!this.#scanner.wantsToLearn) return;
    const body = text.trim();
    // The scanner reads compact single-line entries only; a pretty-printed one teaches nothing.
    if (body.includes('\n') || body.includes('\r')) return;
    // A key spelled with escapes cannot be a layout key (they are plain), so this finds it.
    if (body.includes(DERIVED_KEY_TEXT)) return;
    this.#scanner.learn(body);
  }

  /** JSON.stringify(deriveFields(record)) of the same entry, with its closing brace doubled. */
  #derivedJson(record: FastAccessLogRecord): string {
    const result = this.#result;
    if (record.kind === 'resource') {
      const service = this.#serviceFragment(
        this.#resources,
        'resource',
        record.resourceConfigurationArn,
      );
      result.serviceId = service.serviceId;
      result.isAuthDenied = false;
      const port = portOf(record.destinationIpPort ?? record.resourceIpPort);
      return `${service.json}${this.#anonymousCaller(record.sourceVpcArn)}${this.#portTemplate(port)}${ALLOWED_TAIL}`;
    }
    const service = this.#serviceFragment(this.#services, 'service', record.serviceArn);
    result.serviceId = service.serviceId;
    // As callPatternOf: a 403 is an auth denial only when Lattice says why.
    const isAuthDenied = record.responseCode === 403 && record.authDeniedReason !== undefined;
    result.isAuthDenied = isAuthDenied;
    const principal = record.callerPrincipal;
    const caller =
      principal === undefined
        ? this.#anonymousCaller(record.sourceVpcArn)
        : this.#namedCaller(principal, record.serviceArn);
    return `${service.json}${caller}${this.#pathTemplate(record.requestPath)}${isAuthDenied ? DENIED_TAIL : ALLOWED_TAIL}`;
  }

  #serviceFragment(
    memo: BoundedMap<ServiceFragment>,
    recordKind: 'service' | 'resource',
    arn: string,
  ): ServiceFragment {
    const known = memo.get(arn);
    if (known !== undefined) return known;
    const serviceId = serviceIdOf(arn);
    return memo.set(arn, {
      json: `{"recordKind":"${recordKind}","serviceId":${JSON.stringify(serviceId)}`,
      serviceId,
    });
  }

  #namedCaller(principal: string, serviceArn: string): string {
    // Only a bare account id depends on the service (its partition): key it with the service.
    const key = dependsOnService(principal) ? `${principal} ${serviceArn}` : principal;
    const known = this.#callers.get(key);
    if (known !== undefined) return known;
    const caller = identifyCallerFields({ serviceArn, callerPrincipal: principal });
    return this.#callers.set(key, callerJson(caller));
  }

  #anonymousCaller(sourceVpcArn: string | undefined): string {
    const key = sourceVpcArn ?? '';
    const known = this.#anonymous.get(key);
    if (known !== undefined) return known;
    const caller = identifyCallerFields({ serviceArn: '', sourceVpcArn });
    return this.#anonymous.set(key, callerJson(caller));
  }

  /**
   * `,"pathTemplate":…` of templatePath(requestPath). Raw paths rarely repeat (ids), their
   * segments do: templatePath maps each segment of the path on its own, so each distinct segment
   * is templated once, as the one-segment path `/<segment>`, and the results are joined.
   */
  #pathTemplate(requestPath: string): string {
    // The fast parser reads only paths that start with `/`, so no scheme or authority to drop.
    const path =
      requestPath.includes('?') || requestPath.includes('#')
        ? requestPathOf(requestPath)
        : requestPath;
    let template = '';
    let start = 1;
    for (;;) {
      const slash = path.indexOf('/', start);
      const end = slash === -1 ? path.length : slash;
      // Digits and UUIDs are templatePath's first two tests on a segment percent-decoding leaves
      // as it is; ids rarely repeat, so they skip the memo.
      if (isDigitsAt(path, start, end)) {
        template += '/{id}';
      } else if (isUuidAt(path, start, end)) {
        template += '/{uuid}';
      } else {
        const segment = path.slice(start, end);
        let templated = this.#segments.get(segment);
        if (templated === undefined) {
          templated = this.#segments.set(segment, templatePath(`/${segment}`).slice(1));
        }
        template += `/${templated}`;
      }
      if (slash === -1) break;
      start = slash + 1;
    }
    return `,"pathTemplate":${JSON.stringify(template)}`;
  }

  #portTemplate(port: string): string {
    const known = this.#ports.get(port);
    if (known !== undefined) return known;
    return this.#ports.set(port, `,"pathTemplate":${JSON.stringify(`:${port}`)}`);
  }
}

/** The caller members of the derived object, in deriveFields' order, optional ones left out. */
function callerJson(caller: CallerIdentity): string {
  let json = `,"callerPrincipal":${JSON.stringify(caller.principal)},"callerKind":${JSON.stringify(caller.kind)}`;
  // deriveFields leaves out an unknown account ('' in the pattern) and a missing session name.
  const account = caller.account ?? '';
  if (account !== '') json += `,"callerAccount":${JSON.stringify(account)}`;
  if (caller.sessionName !== undefined) {
    json += `,"sessionName":${JSON.stringify(caller.sessionName)}`;
  }
  return json;
}

/** JSON's whitespace, which the strict path trims around an entry too. */
function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
