// AssemblyScript, compiled to WebAssembly by `npm run build:wasm` (shared/compiled/ holds the
// result). The reading hot path of aggregation below text: it reads whole service access-log lines
// straight from their UTF-8 bytes in the key layouts the JavaScript fast path (fast-parse.ts) has
// learned, checks every field as that path's layout expression does, and folds each line into a
// group keyed by the raw values the call-pattern key is made of. JavaScript turns each group into
// a call pattern (compiled-aggregator.ts); every line this module does not read (another layout,
// a bad field, a non-ASCII byte, a resource record) it hands back, untouched, to the JavaScript
// path. No allocation: fixed regions of linear memory; JavaScript empties the groups after each
// flush, and the strings and template nodes too when they fill.

// ---- Imports: the decisions JavaScript owns, asked once per distinct value.

/** Start of the hour `YYYY-MM-DDTHH` at `at` (13 bytes) in epoch ms, NaN if no real hour. */
@external('env', 'hourStart')
declare function hourStart(at: usize): f64;
/** 1 if every principal `prefix` + session name is one assumed-role session caller, else 0. */
@external('env', 'isSessionRole')
declare function isSessionRole(at: usize, length: usize, slash: usize): i32;
/** The id JavaScript gives the template of the path segment at [at, at + length). */
@external('env', 'segmentTemplate')
declare function segmentTemplate(at: usize, length: usize): i32;

// ---- Memory map. Capacities are hard limits; past a soft limit `read` stops (FULL) so the
// caller flushes the groups and resets, which bounds memory whatever the input.

/** Longest line read here: a longer one goes to JavaScript, so one line cannot overrun a table. */
const MAX_LINE: usize = 8 * 1024;
const MAX_LAYOUTS: i32 = 4;
const MAX_FIELDS: i32 = 128;
const LAYOUT_KEY_BYTES: usize = 4096;
const SLOTS: i32 = 14;

// Small state at fixed places: the module allocates nothing, so no heap grows over these.
const ORDER: usize = 1024; // i32 per layout: layout numbers, most recently matched first
const FIELD_COUNTS: usize = 1056; // i32 per layout
const KEY: usize = 1088; // KEY_INTS i32: the group key of the line being read
const LAYOUT_FIELDS: usize = 4096; // per layout: MAX_FIELDS × (keyOffset, keyLength, check, slot)
const LAYOUT_KEYS: usize = LAYOUT_FIELDS + <usize>(MAX_LAYOUTS * MAX_FIELDS) * 16;
const CAPTURES: usize = LAYOUT_KEYS + <usize>MAX_LAYOUTS * LAYOUT_KEY_BYTES; // SLOTS × (start, end)
/** Where JavaScript copies the bytes to read. */
export const INPUT: usize = 65536;
export const INPUT_BYTES: usize = 576 * 1024;

const INTERN_SLOTS: u32 = 1 << 15;
const INTERN_CAPACITY: i32 = 1 << 14;
/** How many strings and template nodes the module numbers between resets. */
export const STRING_CAPACITY: i32 = INTERN_CAPACITY;
const INTERN_TABLE: usize = INPUT + INPUT_BYTES; // per slot: hash u32, id + 1 i32
/** Per interned string: its arena offset and length (u32, u32). */
export const STRINGS: usize = INTERN_TABLE + (<usize>INTERN_SLOTS << 3);
const ROLE_STATES: usize = STRINGS + (<usize>INTERN_CAPACITY << 3); // u8 per string
const SEGMENT_TEMPLATES: usize = ROLE_STATES + <usize>INTERN_CAPACITY; // i32 per string
/** The bytes of the strings interned. */
const ARENA: usize = SEGMENT_TEMPLATES + (<usize>INTERN_CAPACITY << 2);
const ARENA_BYTES: usize = 1 << 20;
/** The bytes of the groups' examples, emptied with the groups. */
const EXAMPLE_ARENA: usize = ARENA + ARENA_BYTES;
const EXAMPLE_ARENA_BYTES: usize = 1 << 20;

const NODE_SLOTS: u32 = 1 << 15;
const NODE_CAPACITY: i32 = 1 << 14;
export const TEMPLATE_CAPACITY: i32 = NODE_CAPACITY;
// Per slot: parent, template, node (0 free: the root is never stored), unused (i32).
const NODES: usize = EXAMPLE_ARENA + EXAMPLE_ARENA_BYTES;

const GROUP_SLOTS: u32 = 1 << 14;
const GROUP_CAPACITY: i32 = 1 << 13;
export const KEY_INTS: i32 = 9;
export const VALUES: i32 = 13;
const LIST_BYTES: usize = 28; // count u32, then 3 × (offset, length)
const GROUP_TABLE: usize = NODES + (<usize>NODE_SLOTS << 4); // i32 group + 1 per slot, 0 free
/** Per group: KEY_INTS i32 (see `add`). */
export const GROUP_KEYS: usize = GROUP_TABLE + (<usize>GROUP_SLOTS << 2);
/** Per group: VALUES f64 (see `add`). */
export const GROUP_VALUES: usize = GROUP_KEYS + <usize>GROUP_CAPACITY * (<usize>KEY_INTS << 2);
/** Per group: example paths, then session names, each a LIST_BYTES list. */
export const GROUP_LISTS: usize = GROUP_VALUES + <usize>GROUP_CAPACITY * (<usize>VALUES << 3);
export const MEMORY_BYTES: usize = GROUP_LISTS + <usize>GROUP_CAPACITY * (LIST_BYTES << 1);

const ABSENT: i32 = -1;
/** Segment templates JavaScript numbers first: `{id}` (digits) and `{uuid}`. */
const ID_TEMPLATE: i32 = 0;
const UUID_TEMPLATE: i32 = 1;

// Field checks, as JavaScript numbers them (compiled-aggregator.ts).
const CHECK_JSON: u32 = 0;
const CHECK_TEXT: u32 = 1;
const CHECK_COUNT: u32 = 2;
const CHECK_TIMESTAMP: u32 = 3;
const CHECK_METHOD: u32 = 4;
const CHECK_PATH: u32 = 5;
const CHECK_STATUS: u32 = 6;
const CHECK_SERVICE_ARN: u32 = 7;

// Capture slots: fast-parse.ts's SERVICE_SLOTS.
const START_TIME: i32 = 0;
const DURATION: i32 = 1;
const METHOD: i32 = 2;
const PATH: i32 = 3;
const STATUS: i32 = 4;
const BYTES_RECEIVED: i32 = 5;
const BYTES_SENT: i32 = 6;
const VPC_ID: i32 = 7;
const VPC_ARN: i32 = 8;
const NETWORK: i32 = 9;
const SERVICE: i32 = 10;
const PRINCIPAL: i32 = 11;
const SUBJECT_CN: i32 = 12;
const AUTH_DENIED: i32 = 13;

/** Why `read` stopped. */
export const STOP_END: i32 = 0; // at an incomplete line, or the end
export const STOP_LINE: i32 = 1; // at a line for JavaScript
export const STOP_FULL: i32 = 2; // before a line, tables full: flush, reset, read on

export let stop: i32 = STOP_END;
export let lines: i32 = 0;
export let groups: i32 = 0;
let strings: i32 = 0;
let nodes: i32 = 1; // node 0 is the root: the empty template
let arenaTop: usize = ARENA;
let exampleTop: usize = EXAMPLE_ARENA;
let layoutCount: i32 = 0;

@inline function orderAt(i: i32): i32 {
  return load<i32>(ORDER + (<usize>i << 2));
}
@inline function setOrder(i: i32, layout: i32): void {
  store<i32>(ORDER + (<usize>i << 2), layout);
}
@inline function fieldCountOf(layout: i32): i32 {
  return load<i32>(FIELD_COUNTS + (<usize>layout << 2));
}
@inline function keyAt(i: i32): i32 {
  return load<i32>(KEY + (<usize>i << 2));
}
@inline function setKey(i: i32, value: i32): void {
  store<i32>(KEY + (<usize>i << 2), value);
}

/** Empties the groups and their examples (after JavaScript has taken them). */
export function resetGroups(): void {
  memory.fill(GROUP_TABLE, 0, <usize>GROUP_SLOTS << 2);
  groups = 0;
  exampleTop = EXAMPLE_ARENA;
}

/**
 * Whether the strings or template nodes are near their capacity, so that the next flush must
 * empty them too (reset): the numbers JavaScript remembers are then forgotten.
 */
export function isNumberingFull(): bool {
  const margin = <i32>(MAX_LINE / 2) + 16;
  return (
    strings >= INTERN_CAPACITY - margin ||
    nodes >= NODE_CAPACITY - margin ||
    arenaTop + MAX_LINE >= ARENA + ARENA_BYTES
  );
}

/**
 * Empties every table (after JavaScript has taken the groups); layouts stay. A new instance's
 * tables are empty already: zero is "free" in all of them.
 */
export function reset(): void {
  memory.fill(INTERN_TABLE, 0, <usize>INTERN_SLOTS << 3);
  memory.fill(ROLE_STATES, 0, <usize>INTERN_CAPACITY);
  memory.fill(NODES, 0, <usize>NODE_SLOTS << 4);
  strings = 0;
  nodes = 1;
  arenaTop = ARENA;
  resetGroups();
}

export const LAYOUT_FIELD_CAPACITY: i32 = MAX_FIELDS;
export const LAYOUT_KEY_CAPACITY: usize = LAYOUT_KEY_BYTES;

/**
 * The layout slot the next addLayout fills: a free one, else the one matched least recently.
 * JavaScript writes the layout's fields at layoutFieldsAt(slot) and its keys at layoutKeysAt(slot).
 */
export function nextLayoutSlot(): i32 {
  return layoutCount < MAX_LAYOUTS ? layoutCount : orderAt(MAX_LAYOUTS - 1);
}

/** Where a layout's fields sit: per field, key offset (in its keys), key length, check, slot. */
export function layoutFieldsAt(slot: i32): usize {
  return LAYOUT_FIELDS + <usize>slot * (<usize>MAX_FIELDS << 4);
}

export function layoutKeysAt(slot: i32): usize {
  return LAYOUT_KEYS + <usize>slot * LAYOUT_KEY_BYTES;
}

/** Takes the layout of `count` fields JavaScript wrote in `slot` (nextLayoutSlot): tried first. */
export function addLayout(slot: i32, count: i32): void {
  store<i32>(FIELD_COUNTS + (<usize>slot << 2), count);
  let i = layoutCount < MAX_LAYOUTS ? layoutCount++ : MAX_LAYOUTS - 1;
  for (; i > 0; i--) setOrder(i, orderAt(i - 1));
  setOrder(0, slot);
}

// ---- Bytes

@inline function at(p: usize): u32 {
  return <u32>load<u8>(p);
}

@inline function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

@inline function isLower(c: u32): bool {
  return c - 0x61 < 26;
}

/**
 * Whether [a, a + n) and [b, b + n) hold the same bytes. Sixteen at a time, reading up to 15
 * bytes past both ends: every region compared here has other memory after it.
 */
function equalBytes(a: usize, b: usize, n: usize): bool {
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) {
    if (i8x16.bitmask(i8x16.eq(v128.load(a + i), v128.load(b + i))) != 0xffff) return false;
  }
  if (i == n) return true;
  const same = i8x16.bitmask(i8x16.eq(v128.load(a + i), v128.load(b + i)));
  const wanted: u32 = (1 << <u32>(n - i)) - 1;
  return (same & wanted) == wanted;
}

/** memcmp, then shorter first: the order of JavaScript strings of ASCII characters. */
function compareBytes(a: usize, an: usize, b: usize, bn: usize): i32 {
  const n = an < bn ? an : bn;
  for (let i: usize = 0; i < n; i++) {
    const x = at(a + i);
    const y = at(b + i);
    if (x != y) return x < y ? -1 : 1;
  }
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** The first `\n` in [p, end), or end. Sixteen bytes at a time. */
function newlineFrom(p: usize, end: usize): usize {
  const newline = i8x16.splat(0x0a);
  while (p + 16 <= end) {
    const mask = i8x16.bitmask(i8x16.eq(v128.load(p), newline));
    if (mask != 0) return p + <usize>ctz(mask);
    p += 16;
  }
  while (p < end && at(p) != 0x0a) p++;
  return p;
}

// ---- The layout expression of fast-parse.ts, byte by byte. Each returns where the value ends,
// or 0 where the expression would not match. `end` is the end of the line's content.

/**
 * The end of the string whose opening quote is at p: `"[^"\\\x00-\x1f]*"`, and ASCII only, so
 * that JavaScript, which reads the strings of other lines as text, reads the same characters.
 */
function stringEnd(p: usize, end: usize): usize {
  p++;
  const quote = i8x16.splat(0x22);
  const backslash = i8x16.splat(0x5c);
  const space = i8x16.splat(0x20);
  // Sixteen bytes at a time, the last block too: bytes past `end` (still input memory) are
  // masked out.
  while (p < end) {
    const v = v128.load(p);
    // Signed: a byte of 0x80 or more is negative, so this finds controls and non-ASCII too.
    const stops = v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.lt_s(v, space));
    let mask = i8x16.bitmask(stops);
    const left = end - p;
    if (left < 16) mask &= (1 << <u32>left) - 1;
    if (mask != 0) {
      p += <usize>ctz(mask);
      return at(p) == 0x22 ? p + 1 : 0;
    }
    p += 16;
  }
  return 0;
}

/** `-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?` */
function numberEnd(p: usize, end: usize): usize {
  if (p < end && at(p) == 0x2d) p++;
  if (p >= end) return 0;
  const first = at(p);
  if (first == 0x30) {
    p++;
  } else if (first - 0x31 < 9) {
    p++;
    while (p < end && isDigit(at(p))) p++;
  } else {
    return 0;
  }
  if (p < end && at(p) == 0x2e) {
    const digits = ++p;
    while (p < end && isDigit(at(p))) p++;
    if (p == digits) return 0;
  }
  if (p < end && (at(p) | 0x20) == 0x65) {
    p++;
    if (p < end && (at(p) == 0x2b || at(p) == 0x2d)) p++;
    const digits = p;
    while (p < end && isDigit(at(p))) p++;
    if (p == digits) return 0;
  }
  return p;
}

/** `true|false|null` */
function wordEnd(p: usize, end: usize): usize {
  const c = at(p);
  if (p + 4 > end) return 0;
  if (c == 0x74) return load<u32>(p) == 0x65757274 ? p + 4 : 0;
  if (c == 0x6e) return load<u32>(p) == 0x6c6c756e ? p + 4 : 0;
  if (c == 0x66) return p + 5 <= end && load<u32>(p + 1) == 0x65736c61 ? p + 5 : 0;
  return 0;
}

/** A JSON string, number, true, false or null. */
function scalarEnd(p: usize, end: usize): usize {
  if (p >= end) return 0;
  const c = at(p);
  if (c == 0x22) return stringEnd(p, end);
  if (c == 0x2d || isDigit(c)) return numberEnd(p, end);
  return wordEnd(p, end);
}

/** A scalar, or an object or array of scalars: what a field the parser does not read may hold. */
function valueEnd(p: usize, end: usize): usize {
  if (p >= end) return 0;
  const c = at(p);
  if (c == 0x7b) {
    p++;
    if (p < end && at(p) == 0x7d) return p + 1;
    for (;;) {
      if (p >= end || at(p) != 0x22) return 0;
      p = stringEnd(p, end);
      if (p == 0 || p >= end || at(p) != 0x3a) return 0;
      p = scalarEnd(p + 1, end);
      if (p == 0 || p >= end) return 0;
      const next = at(p);
      if (next == 0x7d) return p + 1;
      if (next != 0x2c) return 0;
      p++;
    }
  }
  if (c == 0x5b) {
    p++;
    if (p < end && at(p) == 0x5d) return p + 1;
    for (;;) {
      p = scalarEnd(p, end);
      if (p == 0 || p >= end) return 0;
      const next = at(p);
      if (next == 0x5d) return p + 1;
      if (next != 0x2c) return 0;
      p++;
    }
  }
  return scalarEnd(p, end);
}

// The value a check captured: [captureStart, captureEnd), or captureStart NONE for none.
const NONE: usize = 0;
let captureStart: usize = NONE;
let captureEnd: usize = NONE;

/** `(?:"(BODY)"|null)` */
function textEnd(p: usize, end: usize): usize {
  if (at(p) == 0x22) {
    const q = stringEnd(p, end);
    if (q == 0) return 0;
    captureStart = p + 1;
    captureEnd = q - 1;
    return q;
  }
  return p + 4 <= end && load<u32>(p) == 0x6c6c756e ? p + 4 : 0;
}

/** `(?:(0|[1-9]\d{0,14})|"(?:-|null|)"|null)` */
function countEnd(p: usize, end: usize): usize {
  const c = at(p);
  if (isDigit(c)) {
    let q = p + 1;
    if (c != 0x30) while (q < end && isDigit(at(q))) q++;
    if (q - p > 15) return 0;
    captureStart = p;
    captureEnd = q;
    return q;
  }
  if (c == 0x22) {
    const q = stringEnd(p, end);
    if (q == 0) return 0;
    const n = q - p - 2;
    const isAbsent = n == 0 || (n == 1 && at(p + 1) == 0x2d) || (n == 4 && load<u32>(p + 1) == 0x6c6c756e);
    return isAbsent ? q : 0;
  }
  return p + 4 <= end && load<u32>(p) == 0x6c6c756e ? p + 4 : 0;
}

/** `"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3})?Z)"` */
function timestampEnd(p: usize, end: usize): usize {
  if (at(p) != 0x22 || p + 22 > end) return 0;
  const s = p + 1;
  for (let i: usize = 0; i < 19; i++) {
    const c = at(s + i);
    if (i == 4 || i == 7) {
      if (c != 0x2d) return 0;
    } else if (i == 10) {
      if (c != 0x54) return 0;
    } else if (i == 13 || i == 16) {
      if (c != 0x3a) return 0;
    } else if (!isDigit(c)) {
      return 0;
    }
  }
  let q = s + 19;
  if (at(q) == 0x2e) {
    if (q + 6 > end || !isDigit(at(q + 1)) || !isDigit(at(q + 2)) || !isDigit(at(q + 3))) return 0;
    q += 4;
  }
  if (q + 2 > end || at(q) != 0x5a || at(q + 1) != 0x22) return 0;
  captureStart = s;
  captureEnd = q + 1;
  return q + 2;
}

/** `"([\x21\x23-\x5b\x5d-\x7e]+)"` */
function methodEnd(p: usize, end: usize): usize {
  if (at(p) != 0x22) return 0;
  let q = p + 1;
  while (q < end) {
    const c = at(q);
    if (c == 0x22) break;
    if (c < 0x21 || c > 0x7e || c == 0x5c) return 0;
    q++;
  }
  if (q == p + 1 || q >= end) return 0;
  captureStart = p + 1;
  captureEnd = q;
  return q + 1;
}

/** `"(/BODY)"` */
function pathEnd(p: usize, end: usize): usize {
  if (at(p) != 0x22 || p + 1 >= end || at(p + 1) != 0x2f) return 0;
  const q = stringEnd(p, end);
  if (q == 0) return 0;
  captureStart = p + 1;
  captureEnd = q - 1;
  return q;
}

/** `([1-5]\d\d)` */
function statusEnd(p: usize, end: usize): usize {
  if (p + 3 > end || at(p) - 0x31 >= 5 || !isDigit(at(p + 1)) || !isDigit(at(p + 2))) return 0;
  captureStart = p;
  captureEnd = p + 3;
  return p + 3;
}

/** `"(arn:aws[-a-z]*:vpc-lattice:[a-z0-9-]+:\d{12}:service/svc-[0-9a-z]+)"` */
function serviceArnEnd(p: usize, end: usize): usize {
  // The fixed parts and the twelve digits fit in 46 bytes: check the room once.
  if (at(p) != 0x22 || p + 48 > end) return 0;
  let q = p + 1;
  if (load<u32>(q) != 0x3a6e7261 || load<u16>(q + 4) != 0x7761 || at(q + 6) != 0x73) return 0;
  q += 7;
  while (q < end && (at(q) == 0x2d || isLower(at(q)))) q++;
  if (q + 13 > end || at(q) != 0x3a) return 0;
  q++;
  if (load<u64>(q) != 0x7474616c2d637076 || load<u32>(q + 8) != 0x3a656369) return 0;
  q += 12;
  const region = q;
  while (q < end && (at(q) == 0x2d || isLower(at(q)) || isDigit(at(q)))) q++;
  if (q == region || q + 26 > end || at(q) != 0x3a) return 0;
  q++;
  for (let i: usize = 0; i < 12; i++) if (!isDigit(at(q + i))) return 0;
  q += 12;
  if (at(q) != 0x3a) return 0;
  q++;
  if (load<u64>(q) != 0x2f65636976726573 || load<u32>(q + 8) != 0x2d637673) return 0;
  q += 12;
  const id = q;
  while (q < end && (isLower(at(q)) || isDigit(at(q)))) q++;
  if (q == id || q >= end || at(q) != 0x22) return 0;
  captureStart = p + 1;
  captureEnd = q;
  return q + 1;
}

function fieldEnd(check: u32, p: usize, end: usize): usize {
  if (p >= end) return 0;
  switch (check) {
    case CHECK_JSON:
      return valueEnd(p, end);
    case CHECK_TEXT:
      return textEnd(p, end);
    case CHECK_COUNT:
      return countEnd(p, end);
    case CHECK_TIMESTAMP:
      return timestampEnd(p, end);
    case CHECK_METHOD:
      return methodEnd(p, end);
    case CHECK_PATH:
      return pathEnd(p, end);
    case CHECK_STATUS:
      return statusEnd(p, end);
    case CHECK_SERVICE_ARN:
      return serviceArnEnd(p, end);
    default:
      return 0;
  }
}

@inline function captured(slot: i32): usize {
  return <usize>load<u32>(CAPTURES + (<usize>slot << 3));
}

@inline function capturedEnd(slot: i32): usize {
  return <usize>load<u32>(CAPTURES + (<usize>slot << 3) + 4);
}

/** Whether [p, end) is a whole line in `layout`; its values then sit in CAPTURES. */
function matches(layout: i32, p: usize, end: usize): bool {
  memory.fill(CAPTURES, 0, <usize>SLOTS << 3);
  if (at(p) != 0x7b) return false;
  p++;
  const fields = layoutFieldsAt(layout);
  const keys = layoutKeysAt(layout);
  const count = fieldCountOf(layout);
  for (let f = 0; f < count; f++) {
    const field = fields + (<usize>f << 4);
    // The key as JavaScript wrote it, quoted and with its colon: "key":
    const keyLength = <usize>load<u32>(field + 4);
    if (p + keyLength > end || !equalBytes(p, keys + <usize>load<u32>(field), keyLength)) {
      return false;
    }
    p += keyLength;
    captureStart = NONE;
    const check = load<u32>(field + 8);
    // Most values are plain strings: checked here without the dispatch.
    if ((check == CHECK_TEXT || check == CHECK_JSON) && p < end && at(p) == 0x22) {
      const q = stringEnd(p, end);
      if (q == 0) return false;
      captureStart = p + 1;
      captureEnd = q - 1;
      p = q;
    } else {
      p = fieldEnd(check, p, end);
      if (p == 0) return false;
    }
    if (p >= end) return false;
    const slot = load<i32>(field + 12);
    if (slot >= 0 && captureStart != NONE) {
      store<u32>(CAPTURES + (<usize>slot << 3), <u32>captureStart);
      store<u32>(CAPTURES + (<usize>slot << 3) + 4, <u32>captureEnd);
    }
    if (at(p) != (f == count - 1 ? 0x7d : 0x2c)) return false;
    p++;
  }
  return p == end;
}

// ---- Interning: each distinct byte string once, numbered.

/** Eight bytes at a time: strings here are ARNs and paths, tens of bytes long. */
function hashBytes(p: usize, n: usize): u32 {
  let h: u64 = 0x9e3779b97f4a7c15 ^ <u64>n;
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) h = (h ^ load<u64>(p + i)) * 0x100000001b3;
  let tail: u64 = 0;
  for (let shift: u64 = 0; i < n; i++, shift += 8) tail |= <u64>at(p + i) << shift;
  h = (h ^ tail) * 0xff51afd7ed558ccd;
  return <u32>(h >>> 32) ^ <u32>h;
}

/** The number of the string [p, p + n), new ones copied to the arena. */
function intern(p: usize, n: usize): i32 {
  const h = hashBytes(p, n);
  let slot = h & (INTERN_SLOTS - 1);
  for (;;) {
    const entry = INTERN_TABLE + (<usize>slot << 3);
    const plusOne = load<i32>(entry + 4);
    if (plusOne == 0) break;
    if (load<u32>(entry) == h) {
      const s = STRINGS + (<usize>(plusOne - 1) << 3);
      if (<usize>load<u32>(s + 4) == n && equalBytes(<usize>load<u32>(s), p, n)) return plusOne - 1;
    }
    slot = (slot + 1) & (INTERN_SLOTS - 1);
  }
  const id = strings++;
  const s = STRINGS + (<usize>id << 3);
  store<u32>(s, <u32>copyToArena(p, n));
  store<u32>(s + 4, <u32>n);
  store<i32>(SEGMENT_TEMPLATES + (<usize>id << 2), -1);
  const entry = INTERN_TABLE + (<usize>slot << 3);
  store<u32>(entry, h);
  store<i32>(entry + 4, id + 1);
  return id;
}

function copyToArena(p: usize, n: usize): usize {
  const to = arenaTop;
  memory.copy(to, p, n);
  arenaTop += n;
  return to;
}

/** Whether a value captured (maybe) in `slot` is one the parser stores: not -, "null" or "". */
function isPresent(slot: i32): bool {
  const s = captured(slot);
  if (s == NONE) return false;
  const n = capturedEnd(slot) - s;
  return !(n == 0 || (n == 1 && at(s) == 0x2d) || (n == 4 && load<u32>(s) == 0x6c6c756e));
}

function internSlot(slot: i32): i32 {
  if (!isPresent(slot)) return ABSENT;
  const s = captured(slot);
  return intern(s, capturedEnd(slot) - s);
}

function countOf(slot: i32): f64 {
  const s = captured(slot);
  if (s == NONE) return 0;
  let value: f64 = 0;
  for (let i = s; i < capturedEnd(slot); i++) value = value * 10 + <f64>(at(i) - 0x30);
  return value;
}

// ---- Callers: an assumed-role session is keyed by its role (the ARN up to its last /), its
// session name kept as an example; any other principal by itself.

/** `[\w+=,.@-]` */
function isIamNameChar(c: u32): bool {
  return (
    isLower(c | 0x20) || isDigit(c) || c == 0x5f || c == 0x2b || c == 0x3d || c == 0x2c ||
    c == 0x2e || c == 0x40 || c == 0x2d
  );
}

const ROLE_UNKNOWN: u8 = 0;
const ROLE: u8 = 1;
const NOT_A_ROLE: u8 = 2;
let sessionStart: usize = NONE;

/** Caller key: (string << 1) | 1 for a role's sessions, string << 1 for a principal. */
function callerOf(s: usize, e: usize): i32 {
  sessionStart = NONE;
  let slash = e;
  while (slash > s && at(slash - 1) != 0x2f) slash--;
  if (slash > s && slash < e) {
    let isName = true;
    for (let i = slash; i < e; i++) {
      if (!isIamNameChar(at(i))) {
        isName = false;
        break;
      }
    }
    if (isName) {
      const prefix = intern(s, slash - s);
      let state = load<u8>(ROLE_STATES + <usize>prefix);
      if (state == ROLE_UNKNOWN) {
        state = isSessionRole(s, e - s, slash - s) != 0 ? ROLE : NOT_A_ROLE;
        store<u8>(ROLE_STATES + <usize>prefix, state);
      }
      if (state == ROLE) {
        sessionStart = slash;
        return (prefix << 1) | 1;
      }
    }
  }
  return intern(s, e - s) << 1;
}

// ---- Path templates: a tree of the templates seen, one node per template, built segment by
// segment as CallPatternBuilder does; JavaScript templates each distinct segment once.

function isUuid(p: usize, n: usize): bool {
  if (n != 36) return false;
  for (let i: usize = 0; i < 36; i++) {
    const c = at(p + i);
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != 0x2d) return false;
    } else if (!(isDigit(c) || (c | 0x20) - 0x61 < 6)) {
      return false;
    }
  }
  return true;
}

function isDigits(p: usize, n: usize): bool {
  if (n == 0) return false;
  for (let i: usize = 0; i < n; i++) if (!isDigit(at(p + i))) return false;
  return true;
}

function childOf(parent: i32, template: i32): i32 {
  let h: u32 = (<u32>parent * 0x9e3779b1) ^ (<u32>template * 0x85ebca6b);
  h ^= h >>> 16;
  let slot = h & (NODE_SLOTS - 1);
  for (;;) {
    const entry = NODES + (<usize>slot << 4);
    const node = load<i32>(entry + 8);
    if (node == 0) break;
    if (load<i32>(entry) == parent && load<i32>(entry + 4) == template) return node;
    slot = (slot + 1) & (NODE_SLOTS - 1);
  }
  const entry = NODES + (<usize>slot << 4);
  const node = nodes++;
  store<i32>(entry, parent);
  store<i32>(entry + 4, template);
  store<i32>(entry + 8, node);
  return node;
}

/** The template node of the path [s, cut) (cut: where its query or fragment starts). */
function templateOf(s: usize, cut: usize): i32 {
  let node = 0;
  let start = s + 1;
  for (;;) {
    let end = start;
    while (end < cut && at(end) != 0x2f) end++;
    const n = end - start;
    let template: i32;
    if (isDigits(start, n)) {
      template = ID_TEMPLATE;
    } else if (isUuid(start, n)) {
      template = UUID_TEMPLATE;
    } else {
      const segment = intern(start, n);
      const known = SEGMENT_TEMPLATES + (<usize>segment << 2);
      template = load<i32>(known);
      if (template < 0) {
        template = segmentTemplate(start, n);
        store<i32>(known, template);
      }
    }
    node = childOf(node, template);
    if (end >= cut) break;
    start = end + 1;
  }
  return node;
}

// ---- Groups

function groupOf(): i32 {
  let h: u32 = 0x811c9dc5;
  for (let i = 0; i < KEY_INTS; i++) h = (h ^ <u32>keyAt(i)) * 0x01000193;
  h ^= h >>> 15;
  let slot = h & (GROUP_SLOTS - 1);
  for (;;) {
    const entry = GROUP_TABLE + (<usize>slot << 2);
    const group = load<i32>(entry) - 1;
    if (group < 0) break;
    const k = GROUP_KEYS + <usize>group * (<usize>KEY_INTS << 2);
    let isSame = true;
    for (let i = 0; i < KEY_INTS; i++) {
      if (load<i32>(k + (<usize>i << 2)) != keyAt(i)) {
        isSame = false;
        break;
      }
    }
    if (isSame) return group;
    slot = (slot + 1) & (GROUP_SLOTS - 1);
  }
  const group = groups++;
  store<i32>(GROUP_TABLE + (<usize>slot << 2), group + 1);
  const k = GROUP_KEYS + <usize>group * (<usize>KEY_INTS << 2);
  for (let i = 0; i < KEY_INTS; i++) store<i32>(k + (<usize>i << 2), keyAt(i));
  const v = GROUP_VALUES + <usize>group * (<usize>VALUES << 3);
  memory.fill(v, 0, <usize>VALUES << 3);
  store<f64>(v + 96, Infinity); // firstSeen: the smallest time seen
  store<f64>(v + 88, -Infinity); // lastSeen
  memory.fill(GROUP_LISTS + <usize>group * (LIST_BYTES << 1), 0, LIST_BYTES << 1);
  return group;
}

/**
 * The list at `list` (count, then offset and length of each value, sorted, distinct) with the
 * value [p, p + n) in its place, at most three long: mergeInto's smallest distinct examples.
 */
function addExample(list: usize, p: usize, n: usize): void {
  const count = load<u32>(list);
  let place: u32 = 0;
  for (; place < count; place++) {
    const entry = list + 4 + (<usize>place << 3);
    const order = compareBytes(<usize>load<u32>(entry), <usize>load<u32>(entry + 4), p, n);
    if (order == 0) return;
    if (order > 0) break;
  }
  if (place >= 3) return;
  for (let i: u32 = count < 3 ? count : 2; i > place; i--) {
    const to = list + 4 + (<usize>i << 3);
    store<u64>(to, load<u64>(to - 8));
  }
  const entry = list + 4 + (<usize>place << 3);
  store<u32>(entry, <u32>exampleTop);
  memory.copy(exampleTop, p, n);
  exampleTop += n;
  store<u32>(entry + 4, <u32>n);
  if (count < 3) store<u32>(list, count + 1);
}

// The hour of the last start time read: lines come in time order, thousands per hour.
let hourPrefix0: u64 = 0;
let hourPrefix1: u64 = 0;
let hourStartMs: f64 = NaN;

/**
 * Folds the line whose values sit in CAPTURES into its group; false (nothing changed) where the
 * JavaScript fast path would not read it either: a start time that is no real instant, a
 * method of "-" or "null".
 */
function add(): bool {
  const time = captured(START_TIME);
  // YYYY-MM-DDTHH in two overlapping words.
  const prefix0 = load<u64>(time);
  const prefix1 = load<u64>(time + 5);
  if (prefix0 != hourPrefix0 || prefix1 != hourPrefix1 || hourStartMs != hourStartMs) {
    hourStartMs = hourStart(time);
    hourPrefix0 = prefix0;
    hourPrefix1 = prefix1;
  }
  if (hourStartMs != hourStartMs) return false;
  const minutes = (at(time + 14) - 0x30) * 10 + at(time + 15) - 0x30;
  const seconds = (at(time + 17) - 0x30) * 10 + at(time + 18) - 0x30;
  if (minutes > 59 || seconds > 59) return false;
  const millis =
    capturedEnd(START_TIME) - time == 24
      ? (at(time + 20) - 0x30) * 100 + (at(time + 21) - 0x30) * 10 + at(time + 22) - 0x30
      : 0;
  const startMs = hourStartMs + <f64>(minutes * 60000 + seconds * 1000 + millis);

  const method = captured(METHOD);
  const methodLength = capturedEnd(METHOD) - method;
  if ((methodLength == 1 && at(method) == 0x2d) || (methodLength == 4 && load<u32>(method) == 0x6c6c756e)) {
    return false;
  }

  setKey(0, <i32>(hourStartMs / 3600000));
  setKey(1, internSlot(NETWORK));
  setKey(2, intern(captured(SERVICE), capturedEnd(SERVICE) - captured(SERVICE)));
  const hasPrincipal = isPresent(PRINCIPAL);
  sessionStart = NONE;
  setKey(3, hasPrincipal ? callerOf(captured(PRINCIPAL), capturedEnd(PRINCIPAL)) : ABSENT);
  setKey(4, internSlot(SUBJECT_CN));
  setKey(5, intern(method, methodLength));
  const path = captured(PATH);
  const pathEnd = capturedEnd(PATH);
  let cut = path;
  while (cut < pathEnd && at(cut) != 0x3f && at(cut) != 0x23) cut++;
  setKey(6, templateOf(path, cut));
  const hasVpcId = isPresent(VPC_ID);
  setKey(7, hasVpcId ? internSlot(VPC_ID) : ABSENT);
  // The VPC ARN names an unsigned caller's account, or the VPC where sourceVpcId is missing.
  setKey(8, !hasPrincipal || !hasVpcId ? internSlot(VPC_ARN) : ABSENT);

  const group = groupOf();
  const v = GROUP_VALUES + <usize>group * (<usize>VALUES << 3);
  const status = captured(STATUS);
  const statusClass = at(status) - 0x30;
  store<f64>(v, load<f64>(v) + 1);
  const classCount = v + (<usize>statusClass << 3);
  store<f64>(classCount, load<f64>(classCount) + 1);
  // 403 with a reason: authDenied, else other4xx (JavaScript takes other4xx as status4xx minus this).
  if (statusClass == 4 && at(status + 1) == 0x30 && at(status + 2) == 0x33 && isPresent(AUTH_DENIED)) {
    store<f64>(v + 48, load<f64>(v + 48) + 1);
  }
  store<f64>(v + 56, load<f64>(v + 56) + countOf(BYTES_RECEIVED));
  store<f64>(v + 64, load<f64>(v + 64) + countOf(BYTES_SENT));
  const duration = countOf(DURATION);
  store<f64>(v + 72, load<f64>(v + 72) + duration);
  if (duration > load<f64>(v + 80)) store<f64>(v + 80, duration);
  if (startMs > load<f64>(v + 88)) store<f64>(v + 88, startMs);
  if (startMs < load<f64>(v + 96)) store<f64>(v + 96, startMs);
  const lists = GROUP_LISTS + <usize>group * (LIST_BYTES << 1);
  addExample(lists, path, cut - path);
  if (sessionStart != NONE) {
    addExample(lists + LIST_BYTES, sessionStart, capturedEnd(PRINCIPAL) - sessionStart);
  }
  return true;
}

/**
 * Whether the tables have room for one more line of at most MAX_LINE bytes: at most one string
 * and one template node per two bytes of its path, one group, a copy of its bytes in each arena.
 */
function hasRoom(): bool {
  return (
    !isNumberingFull() &&
    groups < GROUP_CAPACITY - 1 &&
    exampleTop + MAX_LINE < EXAMPLE_ARENA + EXAMPLE_ARENA_BYTES
  );
}

/**
 * Reads the whole lines of [from, to) (offsets in memory, within INPUT) into groups until one it
 * cannot read. Returns where it stopped; `stop` says why: STOP_END (the bytes from there hold no
 * whole line), STOP_LINE (the line starting there is JavaScript's), STOP_FULL (flush, reset, call
 * again). `lines` counts the lines read.
 */
export function read(from: usize, to: usize): usize {
  let p = from;
  while (p < to) {
    const newline = newlineFrom(p, to);
    if (newline >= to) {
      stop = STOP_END;
      return p;
    }
    if (!hasRoom()) {
      stop = STOP_FULL;
      return p;
    }
    // The strict parser ignores a trailing \r (CRLF files); so does the fast path.
    const end = newline > p && at(newline - 1) == 0x0d ? newline - 1 : newline;
    if (end - p > MAX_LINE || end - p < 2 || !readLine(p, end)) {
      stop = STOP_LINE;
      return p;
    }
    lines++;
    p = newline + 1;
  }
  stop = STOP_END;
  return p;
}

function readLine(p: usize, end: usize): bool {
  for (let i = 0; i < layoutCount; i++) {
    const layout = orderAt(i);
    if (!matches(layout, p, end)) continue;
    if (!add()) return false;
    for (let j = i; j > 0; j--) setOrder(j, orderAt(j - 1));
    setOrder(0, layout);
    return true;
  }
  return false;
}
