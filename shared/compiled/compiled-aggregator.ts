// The compiled reading hot path of aggregation: assembly/line-aggregator.ts, compiled to
// WebAssembly, reads whole service access-log lines from their bytes and folds them into groups
// keyed by raw values; this side answers its questions (hours, roles, segment templates) and turns
// its groups into call patterns (group-patterns.ts) with the identity and templating functions
// the text path uses. Lines it does not read go on to the text path (byte-lines.ts). A
// differential property test holds the patterns equal with and without it.
import { Buffer } from 'node:buffer';
import { identifyCallerFields } from '../identity/index.ts';
import {
  type ByteLineReader,
  hourStartMsOf,
  type ServiceLayoutField,
  serviceLayoutFields,
} from '../log/index.ts';
import type { CallPatternTable } from '../patterns/index.ts';
import { ABSENT, GroupPatterns, type ModuleGroup } from './group-patterns.ts';
import { instantiateLineAggregator, type LineAggregatorExports } from './line-aggregator-module.ts';
import { SegmentTemplateIds } from './segment-template-ids.ts';

/** The module's numbering of field checks (CHECK_* there). */
const CHECKS: ReadonlyMap<ServiceLayoutField['check'], number> = new Map([
  ['json', 0],
  ['text', 1],
  ['count', 2],
  ['timestamp', 3],
  ['method', 4],
  ['requestPath', 5],
  ['httpStatus', 6],
  ['serviceArn', 7],
]);

// Group values, in the module's order (see `add` there).
const REQUESTS = 0;
const AUTH_DENIED = 6;
const BYTES_RECEIVED = 7;
const BYTES_SENT = 8;
const DURATION_SUM = 9;
const DURATION_MAX = 10;
const LAST_SEEN = 11;
const FIRST_SEEN = 12;
const LIST_INTS = 7;

/**
 * A ByteLineReader that folds the lines it reads into `table` when flushed: call flush before
 * reading the table.
 */
export class CompiledAggregator implements ByteLineReader {
  readonly input: Uint8Array;
  readonly #exports: LineAggregatorExports;
  readonly #bytes: Buffer;
  readonly #ints: Int32Array;
  readonly #doubles: Float64Array;
  /** Signatures of the layouts in the module's slots. */
  readonly #layouts: (string | undefined)[] = [];
  readonly #segmentTemplates = new SegmentTemplateIds();
  #stringsRead: (string | undefined)[] = [];
  readonly #patterns: GroupPatterns;
  /** The group being folded in, read from the module's memory (one object for all). */
  readonly #group: ModuleGroup = {
    hour: 0,
    network: ABSENT,
    service: ABSENT,
    caller: ABSENT,
    subjectCN: ABSENT,
    method: ABSENT,
    template: 0,
    vpcId: ABSENT,
    vpcArn: ABSENT,
    requests: 0,
    status: [0, 0, 0, 0, 0],
    authDenied: 0,
    bytesReceived: 0,
    bytesSent: 0,
    durationSumMs: 0,
    durationMaxMs: 0,
    firstSeen: 0,
    lastSeen: 0,
    examplePaths: [],
    sessionNames: [],
  };
  #linesFlushed = 0;

  constructor(table: CallPatternTable) {
    const exports = instantiateLineAggregator({
      hourStart: (at: number) => hourStartMsOf(this.#text(at, at + 13)),
      isSessionRole: (at: number, length: number, slash: number) =>
        this.#isSessionRole(this.#text(at, at + length), slash) ? 1 : 0,
      segmentTemplate: (at: number, length: number) =>
        this.#segmentTemplates.idOf(this.#text(at, at + length)),
    });
    this.#exports = exports;
    this.#patterns = new GroupPatterns(table, (id) => this.#string(id), {
      strings: exports.layout.STRING_CAPACITY,
      templates: exports.layout.TEMPLATE_CAPACITY,
    });
    const { buffer } = exports.memory;
    this.#bytes = Buffer.from(buffer);
    this.#ints = new Int32Array(buffer);
    this.#doubles = new Float64Array(buffer);
    const { INPUT, INPUT_BYTES } = exports.layout;
    this.input = this.#bytes.subarray(INPUT, INPUT + INPUT_BYTES);
  }

  get lines(): number {
    return this.#linesFlushed + Number(this.#exports.lines.value);
  }

  get stoppedAtLine(): boolean {
    return this.#exports.stop.value === this.#exports.layout.STOP_LINE;
  }

  read(from: number, to: number): number {
    const exports = this.#exports;
    const base = this.input.byteOffset;
    let at = from + base;
    for (;;) {
      at = exports.read(at, to + base);
      if (exports.stop.value !== exports.layout.STOP_FULL) return at - base;
      this.flush();
    }
  }

  learn(keys: readonly string[]): void {
    const fields = serviceLayoutFields(keys);
    const signature = keys.join(',');
    if (fields === undefined || this.#layouts.includes(signature)) return;
    const exports = this.#exports;
    if (fields.length > exports.layout.LAYOUT_FIELD_CAPACITY) return;
    // Each key as the module compares it, quoted and with its colon.
    const keyBytes = fields.map((field) => Buffer.from(`"${field.key}":`, 'latin1'));
    const totalKeyBytes = keyBytes.reduce((sum, bytes) => sum + bytes.byteLength, 0);
    if (totalKeyBytes > exports.layout.LAYOUT_KEY_CAPACITY) return;
    const checks = fields.map((field) => CHECKS.get(field.check));
    if (checks.some((check) => check === undefined)) return;
    const slot = exports.nextLayoutSlot();
    const fieldsAt = exports.layoutFieldsAt(slot) >> 2;
    const keysAt = exports.layoutKeysAt(slot);
    let keyOffset = 0;
    fields.forEach((field, index) => {
      const bytes = keyBytes[index] as Buffer;
      this.#bytes.set(bytes, keysAt + keyOffset);
      const at = fieldsAt + index * 4;
      this.#ints[at] = keyOffset;
      this.#ints[at + 1] = bytes.byteLength;
      this.#ints[at + 2] = checks[index] as number;
      this.#ints[at + 3] = field.slot;
      keyOffset += bytes.byteLength;
    });
    exports.addLayout(slot, fields.length);
    this.#layouts[slot] = signature;
  }

  /** Folds every group read so far into the table, and empties the module's groups. */
  flush(): void {
    const exports = this.#exports;
    const groups = Number(exports.groups.value);
    const { KEY_INTS: keyInts, VALUES: values } = exports.layout;
    const keysAt = exports.layout.GROUP_KEYS >> 2;
    const valuesAt = exports.layout.GROUP_VALUES >> 3;
    const listsAt = exports.layout.GROUP_LISTS >> 2;
    const ints = this.#ints;
    const doubles = this.#doubles;
    const group = this.#group;
    const status = group.status;
    for (let index = 0; index < groups; index++) {
      const key = keysAt + index * keyInts;
      const value = valuesAt + index * values;
      const lists = listsAt + index * 2 * LIST_INTS;
      const caller = ints[key + 3] as number;
      group.hour = ints[key] as number;
      group.network = ints[key + 1] as number;
      group.service = ints[key + 2] as number;
      group.caller = caller;
      group.subjectCN = ints[key + 4] as number;
      group.method = ints[key + 5] as number;
      group.template = ints[key + 6] as number;
      group.vpcId = ints[key + 7] as number;
      group.vpcArn = ints[key + 8] as number;
      group.requests = doubles[value + REQUESTS] as number;
      for (let i = 0; i < 5; i++) status[i] = doubles[value + 1 + i] as number;
      group.authDenied = doubles[value + AUTH_DENIED] as number;
      group.bytesReceived = doubles[value + BYTES_RECEIVED] as number;
      group.bytesSent = doubles[value + BYTES_SENT] as number;
      group.durationSumMs = doubles[value + DURATION_SUM] as number;
      group.durationMaxMs = doubles[value + DURATION_MAX] as number;
      group.firstSeen = doubles[value + FIRST_SEEN] as number;
      group.lastSeen = doubles[value + LAST_SEEN] as number;
      group.examplePaths = this.#list(lists);
      group.sessionNames =
        caller !== ABSENT && (caller & 1) === 1 ? this.#list(lists + LIST_INTS) : [];
      this.#patterns.add(group);
    }
    this.#linesFlushed += Number(exports.lines.value);
    exports.lines.value = 0;
    // The module's strings and template nodes stay numbered, and remembered here, until full.
    if (exports.isNumberingFull() !== 0) {
      this.#stringsRead = [];
      this.#patterns.clear();
      exports.reset();
    } else {
      exports.resetGroups();
    }
  }

  #text(start: number, end: number): string {
    return this.#bytes.toString('latin1', start, end);
  }

  /** A string the module interned. */
  #string(id: number): string {
    let value = this.#stringsRead[id];
    if (value === undefined) {
      const at = (this.#exports.layout.STRINGS >> 2) + id * 2;
      const start = this.#ints[at] as number;
      value = this.#text(start, start + (this.#ints[at + 1] as number));
      this.#stringsRead[id] = value;
    }
    return value;
  }

  /** A list of the module: count, then offset and length of each value. */
  #list(at: number): string[] {
    const ints = this.#ints;
    const count = ints[at] as number;
    // Exactly as long as it is: a list built by push keeps room for 17, and the table keeps
    // two lists per pattern.
    const list = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      const start = ints[at + 1 + i * 2] as number;
      list[i] = this.#text(start, start + (ints[at + 2 + i * 2] as number));
    }
    return list;
  }

  /** CallPatternBuilder's test: is every principal `prefix` + session name the role's session? */
  #isSessionRole(principal: string, slash: number): boolean {
    const identity = identifyCallerFields({ serviceArn: '', callerPrincipal: principal });
    return identity.sessionName === principal.slice(slash);
  }
}
