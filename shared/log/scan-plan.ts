// Cuts the reading of access-log files into independent pieces (whole files, or byte ranges of a
// large plain file starting after a newline), so that several threads can each read some of them.
import { open } from 'node:fs/promises';
import { InputError } from './input-errors.ts';
import { type AccessLogVisitor, scanAccessLogStream } from './parse-stream.ts';
import { type AccessLogFile, readFileChunks } from './read-logs.ts';

/** One piece of a scan: a whole file, or the bytes [start, end) of a plain one. */
export interface AccessLogScanPiece {
  path: string;
  start: number;
  /** Exclusive; Infinity reads to the end of the file (a whole file, as it is when read). */
  end: number;
  /** Bytes planned for the piece (the file size when the plan was made), to share the work. */
  bytes: number;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const PROBE_BYTES = 64 * 1024;

/** How finely planAccessLogScan cuts. */
export interface ScanPlanOptions {
  /** Threads that will claim the pieces. */
  threads: number;
  /** No byte range is cut smaller than this (the last one of a file may be). */
  minPieceBytes: number;
}

/**
 * The pieces that read `files` in order: whole files, and byte ranges of the plain files worth
 * cutting, each starting just after a newline (a gzip file is one piece: a deflate stream cannot
 * be entered in the middle). Threads claim pieces in order, so the pieces shrink as the input
 * runs out: each is about 1/(2 × threads) of the bytes still to read from it on (never below
 * `minPieceBytes`). The first are large, which keeps the count of pieces (a partial hour of
 * patterns each, merged twice) low; the last are small, so the thread that ends first waits for
 * at most a small piece of the other's.
 */
export async function planAccessLogScan(
  files: readonly AccessLogFile[],
  options: ScanPlanOptions,
): Promise<AccessLogScanPiece[]> {
  const share = 2 * Math.max(1, options.threads);
  const minPieceBytes = Math.max(1, options.minPieceBytes);
  // Bytes still to read from the start of the current file on.
  let remaining = files.reduce((sum, file) => sum + file.bytes, 0);
  const pieces: AccessLogScanPiece[] = [];
  for (const file of files) {
    const pieceBytes = (start: number) =>
      Math.max(minPieceBytes, Math.ceil((remaining - start) / share));
    const starts = [0];
    if (file.bytes >= pieceBytes(0) + minPieceBytes && !(await isGzipFile(file.path))) {
      for (;;) {
        const last = starts.at(-1) ?? 0;
        const cut = last + pieceBytes(last);
        // The rest of the file is one piece when cutting would leave less than the minimum.
        if (cut + minPieceBytes > file.bytes) break;
        const start = await nextLineStart(file.path, cut);
        if (start >= file.bytes) break;
        starts.push(start);
      }
    }
    starts.forEach((start, index) => {
      const next = starts[index + 1];
      pieces.push({
        path: file.path,
        start,
        end: next ?? Number.POSITIVE_INFINITY,
        bytes: (next ?? file.bytes) - start,
      });
    });
    remaining -= file.bytes;
  }
  return pieces;
}

/**
 * Reads one piece into `visitor` as scanAccessLogs reads a file; resolves to the number of lines
 * read, which the next piece of the same file adds to its line numbers.
 */
export function scanAccessLogPiece(
  piece: AccessLogScanPiece,
  visitor: AccessLogVisitor,
  onBytes?: (bytes: number) => void,
): Promise<number> {
  return scanAccessLogStream(
    readFileChunks(piece.path, onBytes, piece.start, piece.end),
    piece.path,
    visitor,
    { isContinuation: piece.start > 0 },
  );
}

async function isGzipFile(path: string): Promise<boolean> {
  const head = await readAt(path, 0, 2);
  return head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
}

/** The offset just after the first newline at or after `offset` (the file size if none). */
async function nextLineStart(path: string, offset: number): Promise<number> {
  // A newline byte never occurs inside a multi-byte UTF-8 character, so any one ends a line.
  for (let position = offset; ; position += PROBE_BYTES) {
    const bytes = await readAt(path, position, PROBE_BYTES);
    const newline = bytes.indexOf(0x0a);
    if (newline !== -1) return position + newline + 1;
    if (bytes.byteLength < PROBE_BYTES) return position + bytes.byteLength;
  }
}

async function readAt(path: string, position: number, length: number): Promise<Buffer> {
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw InputError.fromFileSystem(path, error);
  }
}
