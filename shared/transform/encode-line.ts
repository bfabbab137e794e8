// The base64 `data` of an `Ok` record: the output line and the newline Firehose needs between
// records (aws-contracts.md §6).

/** Firehose concatenates records as they are (§6): each `Ok` record carries its own newline. */
export function encodeLine(line: string): string {
  return Buffer.from(`${line}\n`, 'utf8').toString('base64');
}

/**
 * base64(text[0, cut) + tail), given `data`, the base64 of `text`, one byte per character
 * (ASCII). Base64 writes every 3 bytes as 4 characters on their own, so the whole groups before
 * `cut` are `data`'s own first characters: only the last partial group and `tail` are encoded.
 * The output line is the input less its closing brace plus the derived fields, so this encodes
 * ~100 bytes a record instead of the whole entry, and the result keeps no copy of the entry.
 * Every whole group of `data` is canonical base64 (only a padded last group can carry stray
 * bits, and `cut` <= text.length stops before that group), so the result is what encodeLine
 * gives for the same line.
 */
export function appendToBase64(data: string, text: string, cut: number, tail: string): string {
  const groups = Math.floor(cut / 3);
  return withBase64Tail(data, groups, `${text.slice(groups * 3, cut)}${tail}`);
}

/** The first `groups` 4-character groups of `data`, then the base64 of `rest` in UTF-8. */
export function withBase64Tail(data: string, groups: number, rest: string): string {
  // ASCII is its own UTF-8, and btoa (simdutf) encodes it without a Buffer in between.
  const tail =
    Buffer.byteLength(rest, 'utf8') === rest.length
      ? btoa(rest)
      : Buffer.from(rest, 'utf8').toString('base64');
  return `${data.slice(0, groups * 4)}${tail}`;
}
