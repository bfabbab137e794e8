// The base64 `data` of an `Ok` record: the output line and the newline Firehose needs between
// records (aws-contracts.md §6).

/** Firehose concatenates records as they are (§6): each `Ok` record carries its own newline. */
export function encodeLine(line: string): string {
  return Buffer.from(`${line}\n`, 'utf8').toString('base64');
}

/**
 * The first `groups` 4-character groups of `data`, then the base64 of `rest` in UTF-8: the base64
 * of the first 3 × `groups` bytes `data` encodes, followed by `rest`. Base64 writes every 3 bytes
 * as 4 characters on their own, so a line that keeps most of the input's bytes (the entry less its
 * closing brace, plus the derived fields) is encoded by reusing `data`'s own groups and encoding
 * only the last partial group and what follows: ~100 bytes a record instead of the whole entry,
 * and the result keeps no copy of it. Whole groups of valid base64 are canonical (only a padded
 * last group can carry stray bits, and `groups` stops before it), so the result is what encoding
 * the whole line gives.
 */
export function withBase64Tail(data: string, groups: number, rest: string): string {
  // ASCII is its own UTF-8, and btoa (simdutf) encodes it without a Buffer in between.
  const tail =
    Buffer.byteLength(rest, 'utf8') === rest.length
      ? btoa(rest)
      : Buffer.from(rest, 'utf8').toString('base64');
  return `${data.slice(0, groups * 4)}${tail}`;
}
