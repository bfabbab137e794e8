// Reads access logs from local files and directories: finds the files (deterministically),
// checks every input before the first record, then streams each file through the parser.
import {
  access,
  constants,
  type FileHandle,
  open,
  readdir,
  realpath,
  stat,
} from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from './input-errors.ts';
import {
  type AccessLogVisitor,
  parseAccessLogStreamBatches,
  scanAccessLogStream,
  scannable,
} from './parse-stream.ts';
import type { ParsedLine } from './types.ts';

export interface ReadAccessLogsOptions {
  /** Called with the number of raw bytes read from disk after each read, for progress. */
  onBytes?: (bytes: number) => void;
}

/** One log file to read, with its size on disk (the total for a progress indicator). */
export interface AccessLogFile {
  path: string;
  bytes: number;
}

const READ_CHUNK_BYTES = 512 * 1024;

/**
 * Streams the parsed lines of every log file under `inputs`: files as given, directories
 * recursively in sorted order, hidden entries skipped. Plain or gzip, decided by content.
 * Throws InputError before the first line if any input is missing, unreadable, or a directory
 * without files; CorruptInputError if a gzip file is damaged.
 */
export function readAccessLogs(
  inputs: string[],
  options: ReadAccessLogsOptions = {},
): AsyncGenerator<ParsedLine> {
  return scannable(
    async function* () {
      for await (const batch of readAccessLogBatches(inputs, options)) yield* batch;
    },
    (visitor) => scanAccessLogs(inputs, options, visitor),
  );
}

/**
 * readAccessLogs into a visitor (see scanAccessLogStream): the same files in the same order,
 * each line visited once, through the fast path when it can. The same errors, too.
 */
export async function scanAccessLogs(
  inputs: string[],
  options: ReadAccessLogsOptions,
  visitor: AccessLogVisitor,
): Promise<void> {
  const files = await listAccessLogFiles(inputs);
  for (const file of files) {
    await scanAccessLogStream(readFileChunks(file.path, options.onBytes), file.path, visitor);
  }
}

/**
 * readAccessLogs, one array per chunk read instead of one item per line: the same results in
 * the same order, without a promise per line.
 */
export async function* readAccessLogBatches(
  inputs: string[],
  options: ReadAccessLogsOptions = {},
): AsyncGenerator<ParsedLine[]> {
  const files = await listAccessLogFiles(inputs);
  for (const file of files) {
    yield* parseAccessLogStreamBatches(readFileChunks(file.path, options.onBytes), file.path);
  }
}

/**
 * The files `readAccessLogs` would read, in the order it reads them, each once. Throws
 * InputError for a missing or unreadable input, or for a directory that holds no files.
 */
export async function listAccessLogFiles(inputs: string[]): Promise<AccessLogFile[]> {
  if (inputs.length === 0) throw new InputError('no input paths given', '');
  const files: AccessLogFile[] = [];
  const seenFiles = new Set<string>();
  // Whether each directory walked holds a log file: a directory met again (named twice, inside
  // another input, or through a link) adds no files, yet must not count as one without any.
  const walkedDirectories = new Map<string, boolean>();

  const addFile = async (path: string, bytes: number): Promise<void> => {
    const key = resolve(path);
    if (seenFiles.has(key)) return;
    try {
      await access(path, constants.R_OK);
    } catch (error) {
      throw InputError.fromFileSystem(path, error);
    }
    seenFiles.add(key);
    files.push({ path, bytes });
  };

  /** Adds the files under `directory`; says whether it holds any, added now or before. */
  const walk = async (directory: string): Promise<boolean> => {
    let real: string;
    let names: string[];
    try {
      real = await realpath(directory);
      const walked = walkedDirectories.get(real);
      // Still false for a directory being walked: a symbolic link back up the tree ends here
      // instead of being walked forever, and adds nothing its target will not.
      if (walked !== undefined) return walked;
      walkedDirectories.set(real, false);
      names = await readdir(directory);
    } catch (error) {
      throw InputError.fromFileSystem(directory, error);
    }
    // Sorted by code unit, not locale, so the order is the same on every machine.
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let holdsFiles = false;
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(directory, name);
      const entry = await statInput(path);
      if (entry.isDirectory()) {
        if (await walk(path)) holdsFiles = true;
      } else if (entry.isFile()) {
        await addFile(path, entry.size);
        holdsFiles = true;
      }
    }
    walkedDirectories.set(real, holdsFiles);
    return holdsFiles;
  };

  for (const input of inputs) {
    const entry = await statInput(input);
    if (entry.isDirectory()) {
      if (!(await walk(input))) {
        throw new InputError(`no log files found under ${input}`, input);
      }
    } else if (entry.isFile()) {
      await addFile(input, entry.size);
    } else {
      throw new InputError(`cannot read ${input}: not a regular file or directory`, input);
    }
  }
  return files;
}

async function statInput(path: string) {
  try {
    // stat, not lstat: a symbolic link counts as what it points to.
    return await stat(path);
  } catch (error) {
    throw InputError.fromFileSystem(path, error);
  }
}

/**
 * The bytes of a file (from `start` to `end` or its end), in chunks that stay valid only until
 * the next one is asked for: two
 * buffers take turns, one being filled while the other is parsed. Fresh buffers for every
 * chunk cost more than the parsing of plain ASCII logs (the kernel zero-fills new pages).
 */
export async function* readFileChunks(
  path: string,
  onBytes: ((bytes: number) => void) | undefined,
  start = 0,
  end = Number.POSITIVE_INFINITY,
): AsyncGenerator<Uint8Array> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw InputError.fromFileSystem(path, error);
  }
  const buffers = [
    Buffer.allocUnsafeSlow(READ_CHUNK_BYTES),
    Buffer.allocUnsafeSlow(READ_CHUNK_BYTES),
  ];
  let filling = 0;
  let position = start;
  const readInto = (buffer: Buffer) => {
    const length = Math.max(0, Math.min(buffer.byteLength, end - position));
    const read = handle.read(buffer, 0, length, position);
    position += length;
    // Awaited below, or abandoned with the generator: never an unhandled rejection.
    read.catch(() => {});
    return read;
  };
  let pending = readInto(buffers[0] as Buffer);
  try {
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) return;
      onBytes?.(bytesRead);
      filling ^= 1;
      pending = readInto(buffers[filling] as Buffer);
      yield buffer.subarray(0, bytesRead);
    }
  } catch (error) {
    // Only the file's own failures (a read error, a file gone since the listing) are input errors.
    if (typeof (error as { syscall?: unknown } | null)?.syscall === 'string') {
      throw InputError.fromFileSystem(path, error);
    }
    throw error;
  } finally {
    await pending.catch(() => {});
    await handle.close();
  }
}
