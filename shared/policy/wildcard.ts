// IAM wildcard matching: `*` matches any run of characters (including `/`), `?` exactly one.

/** True when `value` matches `pattern`, case-sensitively, as IAM compares resources and StringLike. */
export function matchesWildcard(pattern: string, value: string): boolean {
  // Iterative glob match with backtracking to the last `*`: linear in practice, no regex to escape.
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    const c = pattern[p];
    if (c === '?' || (c !== undefined && c !== '*' && c === value[v])) {
      p++;
      v++;
    } else if (c === '*') {
      star = p++;
      mark = v;
    } else if (star !== -1) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Drops each pattern that another pattern of the list already covers, keeping the list's order. */
export function withoutCoveredPatterns(patterns: readonly string[]): string[] {
  return patterns.filter(
    (pattern, i) =>
      !patterns.some(
        (other, j) =>
          j !== i &&
          matchesWildcard(other, pattern) &&
          // Of two patterns that cover each other, keep the first.
          !(matchesWildcard(pattern, other) && j > i),
      ),
  );
}
