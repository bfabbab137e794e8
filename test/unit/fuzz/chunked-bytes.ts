// Bytes as a stream hands them over: cut at arbitrary offsets, the way property tests chunk input.

/** `bytes` cut at each offset (taken modulo its length + 1, so any number is a cut). */
export function cutBytes(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const offsets = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const offset of offsets) {
    pieces.push(bytes.subarray(start, offset));
    start = offset;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

/** cutBytes as an async stream of chunks. */
export async function* chunksOf(
  bytes: Uint8Array,
  cuts: readonly number[],
): AsyncGenerator<Uint8Array> {
  yield* cutBytes(bytes, cuts);
}
