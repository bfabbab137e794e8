// Parses a byte stream of access logs (a file, an S3 object body): gzip or plain, found by magic
// bytes, split into lines across chunk boundaries, in memory bounded by the longest line.
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CorruptInputError } from './input-errors.ts';
import { parseAccessLogLine } from './parse-line.ts';
import type { ParsedLine } from './types.ts';

/**
 * The longest line kept in memory. An access-log entry is a few KB; a line this long means the
 * input is not an access log (or lost its newlines), and holding it would unbound memory.
 */
export const MAX_LINE_CHARS = 1024 * 1024;

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * Parses every line of `chunks`, decompressing first if the stream starts with the gzip magic
 * bytes. Blank lines are skipped but counted, so locations match the 1-based line in the source.
 * Throws CorruptInputError when gzip data does not decompress to its end; records yielded before
 * that point come from a damaged source and should be discarded by the caller.
 */
export async function* parseAccessLogStream(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
): AsyncGenerator<ParsedLine> {
  for await (const batch of parseAccessLogStreamBatches(chunks, source)) yield* batch;
}

/**
 * parseAccessLogStream, one array per chunk of input instead of one item per line: the same
 * results in the same order, without an async-iteration step (a promise) per line, for readers
 * of hundreds of MB.
 */
export async function* parseAccessLogStreamBatches(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
): AsyncGenerator<ParsedLine[]> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let isDone = false;
  // The magic is two bytes and a stream may hand them over one at a time.
  while (headBytes < 2) {
    const next = await iterator.next();
    if (next.done === true) {
      isDone = true;
      break;
    }
    if (next.value.byteLength === 0) continue;
    head.push(next.value);
    headBytes += next.value.byteLength;
  }
  const bytes = resume(head, iterator, isDone);
  const isGzip =
    headBytes >= 2 && byteAt(head, 0) === GZIP_MAGIC_0 && byteAt(head, 1) === GZIP_MAGIC_1;
  yield* parseLines(isGzip ? gunzip(bytes, source) : bytes, source);
}

async function* parseLines(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
): AsyncGenerator<ParsedLine[]> {
  // stream: true keeps a multi-byte character split across chunks whole; the decoder also drops
  // a leading BOM.
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let line = 0;
  let isOverlong = false;
  let batch: ParsedLine[] = [];

  // Called once per finished line (its text without the newline).
  const take = (text: string): void => {
    line++;
    if (isOverlong || text.length > MAX_LINE_CHARS) {
      isOverlong = false;
      batch.push(overlong(source, line));
      return;
    }
    const parsed = parseAccessLogLine(text, { source, line });
    if (parsed !== undefined) batch.push(parsed);
  };

  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const piece = text.slice(start, newline);
      take(carry === '' ? piece : carry + piece);
      carry = '';
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (!isOverlong) {
      carry = start === 0 ? carry + text : carry + text.slice(start);
      if (carry.length > MAX_LINE_CHARS) {
        isOverlong = true;
        carry = '';
      }
    }
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  const rest = carry + decoder.decode();
  if (rest !== '' || isOverlong) take(rest);
  if (batch.length > 0) yield batch;
}

function overlong(source: string, line: number): ParsedLine {
  return {
    ok: false,
    rejected: {
      location: { source, line },
      reason:
        `line is longer than ${MAX_LINE_CHARS} characters; an access-log entry is a few KB, ` +
        'so this input is probably not a JSON-lines access log',
    },
  };
}

function byteAt(chunks: Uint8Array[], index: number): number | undefined {
  let offset = index;
  for (const chunk of chunks) {
    if (offset < chunk.byteLength) return chunk[offset];
    offset -= chunk.byteLength;
  }
  return undefined;
}

/** The chunks already read, then the rest; closes the source if the reader stops early. */
async function* resume(
  head: Uint8Array[],
  iterator: AsyncIterator<Uint8Array>,
  isDone: boolean,
): AsyncGenerator<Uint8Array> {
  let isFinished = isDone;
  try {
    yield* head;
    while (!isFinished) {
      const next = await iterator.next();
      if (next.done === true) {
        isFinished = true;
      } else {
        yield next.value;
      }
    }
  } catch (error) {
    isFinished = true;
    throw error;
  } finally {
    if (!isFinished) await iterator.return?.();
  }
}

async function* gunzip(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
): AsyncGenerator<Uint8Array> {
  const inflater = createGunzip({ chunkSize: 64 * 1024 });
  // Errors of either side reach the loop below through the inflater; the callback has nothing
  // left to do. Concatenated gzip members (as Firehose and `cat a.gz b.gz` make) inflate in turn.
  pipeline(Readable.from(chunks), inflater, () => {});
  try {
    for await (const chunk of inflater) yield chunk as Uint8Array;
  } catch (error) {
    if (isZlibError(error)) {
      throw new CorruptInputError(
        `${source}: corrupt or truncated gzip data (${error.message})`,
        source,
        { cause: error },
      );
    }
    throw error;
  }
}

function isZlibError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('Z_');
}
