// Three-valued (Kleene) logic: a match is true, false, or unknown when it depends on a request
// value the access logs do not carry. Unknown never becomes true or false by guessing.

export type Tristate = boolean | 'unknown';

/** False if any is false; else unknown if any is unknown; else true (true for none). */
export function allOf(values: Iterable<Tristate>): Tristate {
  let result: Tristate = true;
  for (const value of values) {
    if (value === false) return false;
    if (value === 'unknown') result = 'unknown';
  }
  return result;
}

/** True if any is true; else unknown if any is unknown; else false (false for none). */
export function anyOf(values: Iterable<Tristate>): Tristate {
  let result: Tristate = false;
  for (const value of values) {
    if (value === true) return true;
    if (value === 'unknown') result = 'unknown';
  }
  return result;
}

export function not(value: Tristate): Tristate {
  return value === 'unknown' ? 'unknown' : !value;
}
