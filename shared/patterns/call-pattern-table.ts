// The aggregation accumulator: one call pattern per key, keyed by the ids of its key strings.
// PatternSet keyed by patternKeyString does the same job for a handful of patterns; this one is
// for the request-by-request hot path.

import { KEY_FIELDS } from './key-fields.ts';
import { copyPattern, mergeInto, sortPatterns } from './merge-patterns.ts';
import { forEachPacked, type PackedPatterns, packKeyed, packPatterns } from './packed-patterns.ts';
import { detachString } from './retained-strings.ts';
import { StringIds } from './string-ids.ts';
import type { CallPattern, CallPatternKey } from './types.ts';

/** A pattern key as the ids (StringIds) of its fields, in KEY_FIELDS order. */
export type PatternKeyIds = Int32Array;

export function newPatternKeyIds(): PatternKeyIds {
  return new Int32Array(KEY_FIELDS.length);
}

function hashKey(key: PatternKeyIds): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ (key[i] as number), 0x01000193);
  // 30 bits: a small integer to V8, so the Map hashes it without boxing.
  return (hash ^ (hash >>> 15)) & 0x3fffffff;
}

const KEY_LENGTH = KEY_FIELDS.length;
const NO_ENTRY = -1;

/**
 * Call patterns by key, one per key. Entries are numbered; their keys sit side by side in one
 * Int32Array and their hash chains in another, which costs a fraction of an object per entry.
 */
export class CallPatternTable {
  /** The ids of every key string; builders resolve their ids here. */
  readonly ids = new StringIds();
  /** First entry of each hash chain. */
  readonly #heads = new Map<number, number>();
  #keys = new Int32Array(1024 * KEY_LENGTH);
  #next = new Int32Array(1024);
  readonly #patterns: CallPattern[] = [];
  readonly #scratchKey = newPatternKeyIds();
  readonly #isFromLogText: boolean;

  /**
   * `isFromLogText` false when the patterns added never hold views into log text (patterns
   * already aggregated, re-keyed): their example strings are then kept without a copy.
   */
  constructor(isFromLogText = true) {
    this.#isFromLogText = isFromLogText;
  }

  get size(): number {
    return this.#patterns.length;
  }

  /** The key ids of a pattern. */
  keyOf(pattern: CallPatternKey, into: PatternKeyIds = newPatternKeyIds()): PatternKeyIds {
    for (let i = 0; i < KEY_LENGTH; i++) {
      into[i] = this.ids.idOf(pattern[KEY_FIELDS[i] as keyof CallPatternKey]);
    }
    return into;
  }

  /** Folds a pattern in; the table keeps its own copy, the caller's object is not changed. */
  add(pattern: CallPattern): void {
    this.addKeyed(this.keyOf(pattern, this.#scratchKey), pattern);
  }

  /**
   * add, for a caller that already knows the key ids of `pattern` (`key` is not kept).
   * `isOwned`: the pattern is the caller's to give away, a new object whose strings pin no log
   * text and whose key strings are this table's; it is then kept without a copy.
   */
  addKeyed(key: PatternKeyIds, pattern: CallPattern, isOwned = false): void {
    const hash = hashKey(key);
    const first = this.#heads.get(hash) ?? NO_ENTRY;
    const keys = this.#keys;
    for (let entry = first; entry !== NO_ENTRY; entry = this.#next[entry] as number) {
      if (this.#isKeyOf(entry, key, keys)) {
        const existing = this.#patterns[entry] as CallPattern;
        const { examplePaths, sessionNames } = existing;
        mergeInto(existing, pattern);
        // An owned pattern's examples are standalone strings already.
        if (isOwned) return;
        if (existing.examplePaths !== examplePaths) {
          existing.examplePaths = this.#owned(existing.examplePaths, examplePaths);
        }
        if (existing.sessionNames !== sessionNames) {
          existing.sessionNames = this.#owned(existing.sessionNames, sessionNames);
        }
        return;
      }
    }
    const entry = this.#patterns.length;
    if ((entry + 1) * KEY_LENGTH > this.#keys.length) this.#grow();
    this.#keys.set(key, entry * KEY_LENGTH);
    this.#next[entry] = first;
    this.#heads.set(hash, entry);
    this.#patterns.push(isOwned ? pattern : this.#retained(key, pattern));
  }

  /**
   * Folds in patterns another thread packed (packPatterns): each distinct key string is looked
   * up once, and the patterns share this table's copy of it, as patterns added here do.
   */
  addPacked(packed: PackedPatterns): void {
    const ids = this.ids;
    const { strings } = packed;
    const idOfIndex = new Int32Array(strings.length).fill(-1);
    forEachPacked(
      packed,
      (index) => {
        let id = idOfIndex[index] as number;
        if (id === -1) {
          id = ids.idOf(strings[index] as string);
          idOfIndex[index] = id;
        }
        return id;
      },
      (id) => ids.valueOf(id),
      // Unpacked patterns are new objects with standalone strings: a new one is kept as it is,
      // without the copy and detached strings that add makes.
      (pattern, key) => this.addKeyed(key, pattern, true),
    );
  }

  /**
   * The patterns sorted by key (as toArray) and packed for another thread: the keys are this
   * table's ids already, so no key string is looked up again.
   */
  packSorted(): PackedPatterns {
    const patterns = this.#patterns;
    if (this.ids.hasNul) return packPatterns(sortPatterns(patterns.slice()));
    const order = this.#sortedOrder();
    const sorted = new Array<CallPattern>(order.length);
    const keys = new Int32Array(order.length * KEY_LENGTH);
    for (let i = 0; i < order.length; i++) {
      const entry = order[i] as number;
      sorted[i] = patterns[entry] as CallPattern;
      keys.set(this.#keys.subarray(entry * KEY_LENGTH, (entry + 1) * KEY_LENGTH), i * KEY_LENGTH);
    }
    return packKeyed(sorted, keys, this.ids.values());
  }

  /** The patterns sorted by key (as sortPatterns sorts them). */
  toArray(): CallPattern[] {
    const patterns = this.#patterns;
    // The key string joins the fields with NUL, so its order is the fields' order one by one,
    // compared as strings: the ranks of the ids. A NUL inside a field breaks that equivalence.
    if (this.ids.hasNul) return sortPatterns(patterns.slice());
    return Array.from(this.#sortedOrder(), (entry) => patterns[entry] as CallPattern);
  }

  /**
   * Entry numbers in key order. The ranks of a key's ids are packed several to a double (as many
   * as fit in 52 bits), so sorting compares a few numbers rather than eleven ranks each read
   * through two arrays.
   */
  #sortedOrder(): Uint32Array {
    const ranks = this.ids.ranks();
    const keys = this.#keys;
    const count = this.#patterns.length;
    const bits = Math.max(1, Math.ceil(Math.log2(ranks.length + 1)));
    const perWord = Math.floor(52 / bits);
    const words = Math.ceil(KEY_LENGTH / perWord);
    const scale = 2 ** bits;
    const packed = new Float64Array(count * words);
    for (let entry = 0; entry < count; entry++) {
      for (let w = 0; w < words; w++) {
        let value = 0;
        const end = Math.min(KEY_LENGTH, (w + 1) * perWord);
        for (let i = w * perWord; i < end; i++) {
          value = value * scale + (ranks[keys[entry * KEY_LENGTH + i] as number] as number);
        }
        packed[entry * words + w] = value;
      }
    }
    const order = new Uint32Array(count);
    for (let entry = 0; entry < count; entry++) order[entry] = entry;
    return order.sort((a, b) => {
      for (let w = 0; w < words; w++) {
        const x = packed[a * words + w] as number;
        const y = packed[b * words + w] as number;
        if (x !== y) return x - y;
      }
      return 0;
    });
  }

  #isKeyOf(entry: number, key: PatternKeyIds, keys: Int32Array): boolean {
    const offset = entry * KEY_LENGTH;
    for (let i = 0; i < KEY_LENGTH; i++) if (keys[offset + i] !== key[i]) return false;
    return true;
  }

  #grow(): void {
    const keys = new Int32Array(this.#keys.length * 2);
    keys.set(this.#keys);
    this.#keys = keys;
    const next = new Int32Array(this.#next.length * 2);
    next.set(this.#next);
    this.#next = next;
  }

  /** The table's copy of a new pattern: one shared copy of each string, never a view into log text. */
  #retained(key: PatternKeyIds, pattern: CallPattern): CallPattern {
    const copy = copyPattern(pattern);
    const ids = this.ids;
    copy.hour = ids.valueOf(key[0] as number);
    copy.serviceNetworkArn = ids.valueOf(key[2] as number);
    copy.serviceArn = ids.valueOf(key[3] as number);
    copy.callerPrincipal = ids.valueOf(key[4] as number);
    copy.callerAccount = ids.valueOf(key[6] as number);
    copy.callerX509SubjectCN = ids.valueOf(key[7] as number);
    copy.requestMethod = ids.valueOf(key[8] as number);
    copy.pathTemplate = ids.valueOf(key[9] as number);
    copy.sourceVpcId = ids.valueOf(key[10] as number);
    copy.examplePaths = this.#owned(copy.examplePaths, []);
    copy.sessionNames = this.#owned(copy.sessionNames, []);
    return copy;
  }

  /**
   * `list` with each value not already held in `kept` replaced by the table's own copy: a new
   * example may be a view into the caller's log text (see detachString).
   */
  #owned(list: string[], kept: readonly string[]): string[] {
    if (!this.#isFromLogText) return list;
    for (let i = 0; i < list.length; i++) {
      const value = list[i] as string;
      // Remembering them to share copies was tried: session names are unique, and the memo's
      // entries outlived the young generation and doubled the heap.
      if (!kept.includes(value)) list[i] = detachString(value);
    }
    return list;
  }
}
