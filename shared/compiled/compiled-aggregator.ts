// The compiled reading hot path of aggregation: assembly/line-aggregator.ts, compiled to
// WebAssembly, reads whole service access-log lines from their bytes and folds them into groups
// keyed by raw values; this side answers its questions (hours, roles, segment templates) and turns
// its groups into call patterns through CallPatternBuilder, the same code the text fast path
// uses. Lines it does not read go on to the text path (byte-lines.ts). A differential property
// test holds the patterns equal with and without it.
import { Buffer } from 'node:buffer';
import { identifyCallerFields } from '../identity/index.ts';
import {
  type ByteLineReader,
  hourStartMsOf,
  type ServiceLayoutField,
  serviceLayoutFields,
} from '../log/index.ts';
import { templatePath } from '../paths/index.ts';
import type { CallPatternTable } from '../patterns/index.ts';
import { ABSENT, GroupPatterns, type ModuleGroup } from './group-patterns.ts';
import { LINE_AGGREGATOR_WASM } from './line-aggregator-wasm.ts';

// The part of the WebAssembly API used here: the project's TypeScript lib (ES2023, Node's types)
// does not declare it, and lib.dom would declare much else.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmGlobal {
  value: unknown;
}
type WasmImports = Record<string, Record<string, (...args: number[]) => number>>;
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: WasmImports) => { readonly exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Whether this runtime runs WebAssembly: not under `node --jitless`, for one. */
export function isCompiledReadingAvailable(): boolean {
  return wasm !== undefined;
}
const PAGE_BYTES = 65_536;

/** What the module exports (assembly/line-aggregator.ts), checked when it is instantiated. */
interface LineAggregatorExports {
  memory: WasmMemory;
  /** Constants: the module's memory map and numbering. */
  layout: Record<(typeof CONSTANTS)[number], number>;
  /** Its mutable state: why `read` stopped, the lines read and the groups since `reset`. */
  stop: WasmGlobal;
  lines: WasmGlobal;
  groups: WasmGlobal;
  reset(): void;
  resetGroups(): void;
  isNumberingFull(): number;
  nextLayoutSlot(): number;
  layoutFieldsAt(slot: number): number;
  layoutKeysAt(slot: number): number;
  addLayout(slot: number, count: number): void;
  read(from: number, to: number): number;
}

const FUNCTIONS = [
  'reset',
  'resetGroups',
  'isNumberingFull',
  'nextLayoutSlot',
  'layoutFieldsAt',
  'layoutKeysAt',
  'addLayout',
  'read',
] as const;
const CONSTANTS = [
  'INPUT',
  'INPUT_BYTES',
  'STRINGS',
  'KEY_INTS',
  'VALUES',
  'GROUP_KEYS',
  'GROUP_VALUES',
  'GROUP_LISTS',
  'MEMORY_BYTES',
  'LAYOUT_FIELD_CAPACITY',
  'LAYOUT_KEY_CAPACITY',
  'STOP_LINE',
  'STOP_FULL',
  'STRING_CAPACITY',
  'TEMPLATE_CAPACITY',
] as const;
const STATE = ['stop', 'lines', 'groups'] as const;

function isGlobal(value: unknown): value is WasmGlobal {
  return typeof value === 'object' && value !== null && 'value' in value;
}

/** The exports of an instance of the module, or an error naming the one missing. */
function lineAggregatorExports(exports: object): LineAggregatorExports {
  const named = exports as Record<string, unknown>;
  const missing = [...FUNCTIONS, ...CONSTANTS, ...STATE, 'memory'].find((name) => {
    const value = named[name];
    if (name === 'memory')
      return !(typeof value === 'object' && value !== null && 'buffer' in value);
    if ((FUNCTIONS as readonly string[]).includes(name)) return typeof value !== 'function';
    return !isGlobal(value) || typeof value.value !== 'number';
  });
  if (missing !== undefined)
    throw new Error(`the line aggregator module lacks the export ${missing}`);
  const layout = Object.fromEntries(
    CONSTANTS.map((name) => [name, (named[name] as WasmGlobal).value as number]),
  ) as LineAggregatorExports['layout'];
  return { ...(exports as Omit<LineAggregatorExports, 'layout'>), layout };
}

let compiledModule: object | undefined;

/** Compiled once per thread, instantiated per aggregation. */
function lineAggregatorModule(): object {
  if (wasm === undefined) throw new Error('this runtime has no WebAssembly');
  compiledModule ??= new wasm.Module(Buffer.from(LINE_AGGREGATOR_WASM, 'base64'));
  return compiledModule;
}

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

/** Template ids the module gives digits and UUID segments itself (ID_TEMPLATE, UUID_TEMPLATE). */
const FIRST_TEMPLATES = ['{id}', '{uuid}'];
/** Segment templates remembered; past this the memo starts again (ids are never reused soon). */
const MAX_SEGMENT_TEMPLATES = 8192;
const TEMPLATE_ID_SPAN = 2 ** 30;

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
  /** Ids of segment templates, and of the segments seen (both bounded). */
  #segmentTemplates = new Map<string, number>();
  readonly #segmentIds = new Map<string, number>();
  #nextTemplateId = 0;
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
    this.#seedTemplates();
    const module = lineAggregatorModule();
    const instance = new (wasm as WasmApi).Instance(module, {
      env: {
        hourStart: (at: number) => hourStartMsOf(this.#text(at, at + 13)),
        isSessionRole: (at: number, length: number, slash: number) =>
          this.#isSessionRole(this.#text(at, at + length), slash) ? 1 : 0,
        segmentTemplate: (at: number, length: number) =>
          this.#segmentTemplate(this.#text(at, at + length)),
      },
    });
    const exports = lineAggregatorExports(instance.exports);
    this.#exports = exports;
    this.#patterns = new GroupPatterns(table, (id) => this.#string(id), {
      strings: exports.layout.STRING_CAPACITY,
      templates: exports.layout.TEMPLATE_CAPACITY,
    });
    const memory = exports.memory;
    const needed = exports.layout.MEMORY_BYTES;
    if (memory.buffer.byteLength < needed) {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE_BYTES));
    }
    // The memory never grows again, so these views stay valid.
    this.#bytes = Buffer.from(memory.buffer);
    this.#ints = new Int32Array(memory.buffer);
    this.#doubles = new Float64Array(memory.buffer);
    const { INPUT, INPUT_BYTES } = exports.layout;
    this.input = this.#bytes.subarray(INPUT, INPUT + INPUT_BYTES);
    exports.reset();
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

  #seedTemplates(): void {
    FIRST_TEMPLATES.forEach((template, id) => {
      this.#segmentTemplates.set(template, id);
    });
  }

  /** The template id of a path segment: asked again after every flush, so remembered here too. */
  #segmentTemplate(segment: string): number {
    let id = this.#segmentIds.get(segment);
    if (id === undefined) {
      id = this.#templateId(templatePath(`/${segment}`).slice(1));
      if (this.#segmentIds.size >= MAX_SEGMENT_TEMPLATES) this.#segmentIds.clear();
      this.#segmentIds.set(segment, id);
    }
    return id;
  }

  #templateId(template: string): number {
    let id = this.#segmentTemplates.get(template);
    if (id === undefined) {
      if (this.#segmentTemplates.size >= MAX_SEGMENT_TEMPLATES) {
        this.#segmentTemplates = new Map();
        this.#seedTemplates();
      }
      id = FIRST_TEMPLATES.length + (this.#nextTemplateId++ % TEMPLATE_ID_SPAN);
      this.#segmentTemplates.set(template, id);
    }
    return id;
  }
}
