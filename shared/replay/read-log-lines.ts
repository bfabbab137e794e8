// Reads access-log files line by line for replay: each line's own text (to send unchanged) with
// its validation by the access-log parser (to send only real entries). Plain or gzip by magic bytes.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  CorruptInputError,
  InputError,
  listAccessLogFiles,
  MAX_LINE_CHARS,
  parseAccessLogLine,
  type RecordLocation,
  type RejectedLine,
} from '../log/index.ts';

/** One non-blank line: a valid entry with its text, or the parser's rejection. */
export type LogLine =
  | { ok: true; text: string; location: RecordLocation }
  | { ok: false; rejected: RejectedLine };

/**
 * The non-blank lines of every log file under `inputs` (files as given, directories recursively in
 * sorted order, as `readAccessLogs` reads them). A valid line's text is the line without its line
 * ending and without a leading byte order mark. Throws InputError for a missing input,
 * CorruptInputError for damaged gzip data.
 */
export async function* readLogLines(inputs: string[]): AsyncGenerator<LogLine> {
  for (const file of await listAccessLogFiles(inputs)) {
    let line = 0;
    for await (const text of fileLines(file.path)) {
      line++;
      const location = { source: file.path, line };
      if (text === undefined) {
        yield {
          ok: false,
          rejected: { location, reason: `line is longer than ${MAX_LINE_CHARS} characters` },
        };
        continue;
      }
      const parsed = parseAccessLogLine(text, location);
      if (parsed === undefined) continue;
      yield parsed.ok
        ? { ok: true, text: withoutLineEnd(text), location }
        : { ok: false, rejected: parsed.rejected };
    }
  }
}

/** The file's lines; `undefined` stands for a line too long to hold (bounded memory). */
async function* fileLines(path: string): AsyncGenerator<string | undefined> {
  // The decoder keeps a character split across chunks whole and drops a leading BOM.
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let isOverlong = false;
  for await (const chunk of fileChunks(path, await startsWithGzipMagic(path))) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      yield isOverlong ? undefined : carry + text.slice(start, newline);
      carry = '';
      isOverlong = false;
      start = newline + 1;
    }
    if (!isOverlong) carry += text.slice(start);
    if (carry.length > MAX_LINE_CHARS) {
      isOverlong = true;
      carry = '';
    }
  }
  const rest = carry + decoder.decode();
  if (isOverlong) yield undefined;
  else if (rest !== '') yield rest;
}

/** The file's bytes, decompressed when it is gzip; failures as InputError or CorruptInputError. */
async function* fileChunks(path: string, isGzip: boolean): AsyncGenerator<Uint8Array> {
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  const gunzip = isGzip ? createGunzip() : undefined;
  // A read error of the file reaches the loop through the gunzip stream.
  if (gunzip !== undefined) pipeline(file, gunzip, () => {});
  try {
    for await (const chunk of gunzip ?? file) yield chunk as Uint8Array;
  } catch (error) {
    if (typeof (error as { syscall?: unknown } | null)?.syscall === 'string') {
      throw InputError.fromFileSystem(path, error);
    }
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof Error && typeof code === 'string' && code.startsWith('Z_')) {
      throw new CorruptInputError(
        `${path}: corrupt or truncated gzip data (${error.message})`,
        path,
        {
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    file.destroy();
    gunzip?.destroy();
  }
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (error) {
    throw InputError.fromFileSystem(path, error);
  } finally {
    await handle?.close();
  }
}

/** The entry's own text: without a CR of a CRLF line end or a byte order mark before it. */
function withoutLineEnd(text: string): string {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = text.endsWith('\r') ? text.length - 1 : text.length;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
