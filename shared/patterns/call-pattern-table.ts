// The aggregation accumulator: one call pattern per key, keyed by the ids of its key strings.
// PatternSet keyed by patternKeyString does the same job for a handful of patterns; this one is
// for the request-by-request hot path.
import { copyPattern, mergeInto, sortPatterns } from './merge-patterns.ts';
import { detachString } from './retained-strings.ts';
import { StringIds } from './string-ids.ts';
import type { CallPattern, CallPatternKey } from './types.ts';

/** The key fields, in patternKeyString (and so output) order. */
export const KEY_FIELDS = [
  'hour',
  'recordKind',
  'serviceNetworkArn',
  'serviceArn',
  'callerPrincipal',
  'callerKind',
  'callerAccount',
  'callerX509SubjectCN',
  'requestMethod',
  'pathTemplate',
  'sourceVpcId',
] as const satisfies readonly (keyof CallPatternKey)[];

/** A pattern key as the ids (StringIds) of its fields, in KEY_FIELDS order. */
export type PatternKeyIds = Int32Array;

export function newPatternKeyIds(): PatternKeyIds {
  return new Int32Array(KEY_FIELDS.length);
}

interface Entry {
  key: PatternKeyIds;
  pattern: CallPattern;
  /** The next entry whose key hashes alike. */
  next: Entry | undefined;
}

function hashKey(key: PatternKeyIds): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ (key[i] as number), 0x01000193);
  // 30 bits: a small integer to V8, so the Map hashes it without boxing.
  return (hash ^ (hash >>> 15)) & 0x3fffffff;
}

function isSameKey(a: PatternKeyIds, b: PatternKeyIds): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class CallPatternTable {
  /** The ids of every key string; builders resolve their ids here. */
  readonly ids = new StringIds();
  readonly #entries = new Map<number, Entry>();
  readonly #scratchKey = newPatternKeyIds();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The key ids of a pattern. */
  keyOf(pattern: CallPatternKey, into: PatternKeyIds = newPatternKeyIds()): PatternKeyIds {
    for (let i = 0; i < KEY_FIELDS.length; i++) {
      into[i] = this.ids.idOf(pattern[KEY_FIELDS[i] as keyof CallPatternKey]);
    }
    return into;
  }

  /** Folds a pattern in; the table keeps its own copy, the caller's object is not changed. */
  add(pattern: CallPattern): void {
    this.addKeyed(this.keyOf(pattern, this.#scratchKey), pattern);
  }

  /** add, for a caller that already knows the key ids of `pattern` (`key` is not kept). */
  addKeyed(key: PatternKeyIds, pattern: CallPattern): void {
    const hash = hashKey(key);
    const first = this.#entries.get(hash);
    for (let entry = first; entry !== undefined; entry = entry.next) {
      if (isSameKey(entry.key, key)) {
        const existing = entry.pattern;
        const { examplePaths, sessionNames } = existing;
        mergeInto(existing, pattern);
        // New examples may be views into the caller's text (see detachString).
        if (existing.examplePaths !== examplePaths) {
          existing.examplePaths = existing.examplePaths.map(detachString);
        }
        if (existing.sessionNames !== sessionNames) {
          existing.sessionNames = existing.sessionNames.map(detachString);
        }
        return;
      }
    }
    const copy = copyPattern(pattern);
    // The table's own strings: one shared copy per distinct value, never a view into log text.
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
    copy.examplePaths = copy.examplePaths.map(detachString);
    copy.sessionNames = copy.sessionNames.map(detachString);
    this.#entries.set(hash, { key: key.slice(), pattern: copy, next: first });
    this.#size++;
  }

  /** The patterns sorted by key (as sortPatterns sorts them). */
  toArray(): CallPattern[] {
    const entries: Entry[] = [];
    for (const first of this.#entries.values()) {
      for (let entry: Entry | undefined = first; entry !== undefined; entry = entry.next) {
        entries.push(entry);
      }
    }
    // The key string joins the fields with NUL, so its order is the fields' order one by one,
    // compared as strings: the ranks of the ids. A NUL inside a field breaks that equivalence.
    if (this.ids.hasNul) return sortPatterns(entries.map((entry) => entry.pattern));
    const ranks = this.ids.ranks();
    entries.sort((a, b) => {
      for (let i = 0; i < KEY_FIELDS.length; i++) {
        const order = (ranks[a.key[i] as number] as number) - (ranks[b.key[i] as number] as number);
        if (order !== 0) return order;
      }
      return 0;
    });
    return entries.map((entry) => entry.pattern);
  }
}
