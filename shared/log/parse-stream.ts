// Parses a byte stream of access logs (a file, an S3 object body): gzip or plain, found by magic
// bytes, split into lines across chunk boundaries, in memory bounded by the longest line.
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ByteLineFeeder, type ByteLineReader } from './byte-lines.ts';
import { AccessLogLineScanner, type FastAccessLogRecord } from './fast-parse.ts';
import { CorruptInputError } from './input-errors.ts';
import { parseAccessLogLine } from './parse-line.ts';
import { LineSplitter, Utf8ChunkDecoder } from './split-lines.ts';
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
 * bytes. A chunk is done with when the next one is asked for, so a source may reuse its buffers.
 * Blank lines are skipped but counted, so locations match the 1-based line in the source.
 * Throws CorruptInputError when gzip data does not decompress to its end; records yielded before
 * that point come from a damaged source and should be discarded by the caller.
 *
 * Handed unstarted to aggregateLogs, the stream is read through scanAccessLogStream instead
 * (see claimAccessLogScan): the same outcome, without building full records.
 */
export function parseAccessLogStream(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
): AsyncGenerator<ParsedLine> {
  return scannable(
    async function* () {
      for await (const batch of parseAccessLogStreamBatches(chunks, source)) yield* batch;
    },
    async (visitor) => {
      await scanAccessLogStream(chunks, source, visitor);
    },
  );
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
  let batch: ParsedLine[] = [];
  const splitter = new LineSplitter(MAX_LINE_CHARS, (text, start, end, line, isOverlong) => {
    if (isOverlong) {
      batch.push(overlong(source, line));
      return;
    }
    const lineText = start === 0 && end === text.length ? text : text.slice(start, end);
    const parsed = parseAccessLogLine(lineText, { source, line });
    if (parsed !== undefined) batch.push(parsed);
  });
  const decoder = new Utf8ChunkDecoder();
  const push = (text: string) => splitter.push(text);
  for await (const chunk of decompressed(chunks, source)) {
    decoder.decodeEach(chunk, push);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  splitter.finish(decoder.end());
  if (batch.length > 0) yield batch;
}

/** What scanAccessLogStream hands over, line by line, in input order. */
export interface AccessLogVisitor {
  /** A line the fast path read: only the aggregated fields, in an object reused for the next. */
  fastRecord(record: FastAccessLogRecord): void;
  /** A line the strict parser read: a record or a rejection (never a blank line). */
  parsedLine(line: ParsedLine): void;
  /**
   * A reader that takes the lines it can straight from the bytes, before the text path: those
   * lines are then neither fast records nor parsed lines here, but the reader's own.
   */
  readonly byteReader?: ByteLineReader | undefined;
}

export interface ScanStreamOptions {
  /**
   * The chunks continue a plain-text stream after a newline (a byte range of a file, not its
   * first): no gzip or BOM check at their start, as one reader of the whole file would not make.
   */
  isContinuation?: boolean;
}

/**
 * Reads every line of `chunks` (plain or gzip, as parseAccessLogStream) and hands each to
 * `visitor`: to its byteReader when it has one and the reader takes the line (byte-lines.ts),
 * else through the fast path (fast-parse.ts) when it can, else through parseAccessLogLine.
 * Every line parseAccessLogStream would yield is visited once, as a fast record (or taken by the
 * byte reader) exactly when parseAccessLogStream would yield a record with the same fields.
 * Resolves to the number of lines read (blank ones included), which is where the next byte
 * range of the same file starts counting. Throws CorruptInputError as parseAccessLogStream does.
 */
export async function scanAccessLogStream(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
  visitor: AccessLogVisitor,
  options: ScanStreamOptions = {},
): Promise<number> {
  const scanner = new AccessLogLineScanner();
  const splitter = new LineSplitter(MAX_LINE_CHARS, (text, start, end, line, isOverlong) => {
    if (isOverlong) {
      visitor.parsedLine(overlong(source, line));
      return;
    }
    // The strict parser ignores a trailing \r (CRLF files); so does the fast path.
    const contentEnd = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    const record = scanner.scan(text, start, contentEnd);
    if (record !== undefined) {
      visitor.fastRecord(record);
      return;
    }
    const lineText = start === 0 && end === text.length ? text : text.slice(start, end);
    const parsed = parseAccessLogLine(lineText, { source, line });
    if (parsed === undefined) return;
    visitor.parsedLine(parsed);
    if (parsed.ok && scanner.wantsToLearn) {
      const keys = scanner.learn(
        contentEnd === end ? lineText : lineText.slice(0, contentEnd - start),
      );
      if (keys !== undefined) byteReader?.learn(keys);
    }
  });
  const isContinuation = options.isContinuation === true;
  const decoder = new Utf8ChunkDecoder(!isContinuation);
  const push = (text: string) => splitter.push(text);
  const toText = (chunk: Uint8Array) => decoder.decodeEach(chunk, push);
  const byteReader = visitor.byteReader;
  const feeder =
    byteReader === undefined
      ? undefined
      : new ByteLineFeeder(byteReader, !isContinuation, toText, (count) =>
          splitter.skipLines(count),
        );
  const bytes = isContinuation ? chunks : decompressed(chunks, source);
  for await (const chunk of bytes) {
    if (feeder === undefined) toText(chunk);
    else feeder.push(chunk);
  }
  feeder?.end();
  splitter.finish(decoder.end());
  return splitter.lines;
}

/** Reads a stream's lines into a visitor instead of yielding them (scanAccessLogStream). */
export type AccessLogScan = (visitor: AccessLogVisitor) => Promise<void>;

const SCAN = Symbol('lattice-lens.accessLogScan');

/**
 * The scan behind `lines` when they come straight from parseAccessLogStream or readAccessLogs
 * and have not been read yet; undefined otherwise. Claiming it closes `lines` (they must not be
 * iterated afterwards): the caller reads the same input through the scan instead. This is how
 * aggregateLogs takes the fast path without changing what its callers pass it.
 */
export function claimAccessLogScan(lines: AsyncIterable<ParsedLine>): AccessLogScan | undefined {
  const claim = (lines as { [SCAN]?: () => AccessLogScan | undefined })[SCAN];
  return typeof claim === 'function' ? claim() : undefined;
}

/** A generator of parsed lines that can instead hand over its input, unread, to a scan. */
export function scannable(
  lines: () => AsyncGenerator<ParsedLine>,
  scan: AccessLogScan,
): AsyncGenerator<ParsedLine> {
  let isStarted = false;
  const generator = (async function* () {
    isStarted = true;
    yield* lines();
  })();
  Object.defineProperty(generator, SCAN, {
    value: (): AccessLogScan | undefined => {
      if (isStarted) return undefined;
      isStarted = true;
      // Not started yet, so this completes the generator without touching the input.
      void generator.return(undefined);
      return scan;
    },
  });
  return generator;
}

/** The bytes of a stream, gunzipped when it starts with the gzip magic bytes. */
async function* decompressed(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
): AsyncGenerator<Uint8Array> {
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
    // A chunk may be reused once the next is asked for: keep a copy of a lone byte.
    head.push(next.value.byteLength < 2 ? next.value.slice() : next.value);
    headBytes += next.value.byteLength;
  }
  const bytes = resume(head, iterator, isDone);
  const isGzip =
    headBytes >= 2 && byteAt(head, 0) === GZIP_MAGIC_0 && byteAt(head, 1) === GZIP_MAGIC_1;
  yield* isGzip ? gunzip(bytes, source) : bytes;
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
  pipeline(Readable.from(copies(chunks)), inflater, () => {});
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

/** Each chunk copied: the inflater holds chunks after the next one is read, which may reuse it. */
async function* copies(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) yield chunk.slice();
}

function isZlibError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('Z_');
}
