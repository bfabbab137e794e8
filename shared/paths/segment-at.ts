// Segment tests on a slice of a path, without cutting the segment out: the hot loops (aggregation,
// the transform's fast path) template the two commonest id kinds in place with these, and leave
// every other segment to templatePath, which agrees with them on these two kinds.

/** `text[start, end)` is `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex of either case (`uuid`). */
export function isUuidAt(text: string, start: number, end: number): boolean {
  if (end - start !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(start + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
    } else if (
      !((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46))
    ) {
      return false;
    }
  }
  return true;
}

/** `text[start, end)` is a non-empty run of ASCII digits (`id`). */
export function isDigitsAt(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return end > start;
}
