// Small integer ids for the strings call patterns are keyed on, so a pattern key is a few numbers
// rather than a 300-character string built and hashed for every request.
import { detachString, frontSlot } from './retained-strings.ts';

const FRONT_SLOTS = 1024;

/**
 * Gives each distinct string an id (0, 1, 2 …) and keeps one owned copy of it. Hashing a string
 * costs V8 a few ns per character, and the values repeat line after line (the same few services
 * and VPCs): a direct-mapped front table, indexed by a hash of a few characters, answers most
 * lookups with one string comparison instead.
 */
export class StringIds {
  readonly #ids = new Map<string, number>();
  readonly #values: string[] = [];
  readonly #frontIds = new Int32Array(FRONT_SLOTS).fill(-1);
  #hasNul = false;

  idOf(value: string): number {
    const slot = frontSlot(value, FRONT_SLOTS);
    const front = this.#frontIds[slot] as number;
    if (front !== -1 && this.#values[front] === value) return front;
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.#values.length;
      const owned = detachString(value);
      this.#values.push(owned);
      this.#ids.set(owned, id);
      if (owned.includes('\u0000')) this.#hasNul = true;
    }
    this.#frontIds[slot] = id;
    return id;
  }

  /** The string of an id (an owned copy, not a view into log text). */
  valueOf(id: number): string {
    return this.#values[id] as string;
  }

  get size(): number {
    return this.#values.length;
  }

  /** Every string, at the index of its id. */
  values(): readonly string[] {
    return this.#values;
  }

  /** Whether some string holds a NUL character (which the key-string order separates on). */
  get hasNul(): boolean {
    return this.#hasNul;
  }

  /** Each id's position among all the strings in code-unit order. */
  ranks(): Int32Array {
    const order = Array.from(this.#values.keys());
    const values = this.#values;
    order.sort((a, b) => {
      const x = values[a] as string;
      const y = values[b] as string;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const ranks = new Int32Array(values.length);
    order.forEach((id, rank) => {
      ranks[id] = rank;
    });
    return ranks;
  }
}
