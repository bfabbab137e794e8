// The ObjectStore on a local folder: the CLI's output directory and the functions' unit tests.
// Keys map to paths under the root; ETags are content MD5s, as S3 gives for single-part uploads.
import { createHash, randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { ObjectNotFoundError } from './object-not-found-error.ts';
import type { ObjectInfo, ObjectStore } from './object-store.ts';

const READ_CHUNK_BYTES = 256 * 1024;
// A put writes here first, then renames: rename is atomic on one file system, so a reader (or a
// crash) never leaves a half-written object behind. list() skips these names.
const TEMP_NAME = /^\.lattice-lens-[0-9a-f-]{36}\.tmp$/;

// A missing file, a folder where a file was expected, a file where a folder was expected: in S3
// terms all three mean there is no object at that key.
const NOT_FOUND_CODES = new Set(['ENOENT', 'EISDIR', 'ENOTDIR']);

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NOT_FOUND_CODES.has(code);
}

export class FileObjectStore implements ObjectStore {
  constructor(readonly root: string) {}

  async *getStream(key: string): AsyncGenerator<Uint8Array> {
    const handle = await this.#open(key);
    // The stream owns the handle from here: it closes it at the end, or on destroy.
    const stream = handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } finally {
      stream.destroy();
    }
  }

  async get(key: string): Promise<Uint8Array> {
    const handle = await this.#open(key);
    try {
      return await handle.readFile();
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key, { cause: error });
      throw error;
    } finally {
      await handle.close();
    }
  }

  async put(key: string, body: string | Uint8Array, _contentType?: string): Promise<void> {
    const path = this.#pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = join(dirname(path), `.lattice-lens-${randomUUID()}.tmp`);
    try {
      await writeWhole(temp, body);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    // Only the folder the prefix fully names needs walking; the rest of the prefix filters names.
    const slash = prefix.lastIndexOf('/');
    const folder = slash === -1 ? '' : prefix.slice(0, slash + 1);
    const keys: string[] = [];
    await this.#walk(folder, keys);
    return keys
      .filter((key) => key.startsWith(prefix))
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    let handle: FileHandle;
    try {
      handle = await this.#open(key);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return undefined;
      throw error;
    }
    const stream = handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
    try {
      const hash = createHash('md5');
      let size = 0;
      for await (const chunk of stream) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).byteLength;
      }
      return { size, etag: hash.digest('hex') };
    } finally {
      stream.destroy();
    }
  }

  async #open(key: string): Promise<FileHandle> {
    const path = this.#pathOf(key);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key, { cause: error });
      throw error;
    }
    // open() succeeds on a folder; reading it fails later with EISDIR. Say "not found" up front.
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw new ObjectNotFoundError(key);
    }
    return handle;
  }

  async #walk(folder: string, keys: string[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(folder === '' ? this.root : this.#pathOf(folder.slice(0, -1)), {
        withFileTypes: true,
      });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) await this.#walk(`${folder}${entry.name}/`, keys);
      else if (entry.isFile() && !TEMP_NAME.test(entry.name)) keys.push(folder + entry.name);
    }
  }

  /** The file of `key`; throws RangeError for keys a file system cannot hold safely. */
  #pathOf(key: string): string {
    checkKey(key);
    return join(this.root, ...key.split('/'));
  }
}

/**
 * S3 accepts nearly any key; a folder cannot hold one that is empty, absolute, has empty, `.` or
 * `..` segments (which would also escape the root) or a NUL, so those are refused, not mangled.
 */
function checkKey(key: string): void {
  const segments = key.split('/');
  const bad = segments.find((s) => s === '' || s === '.' || s === '..' || s.includes(sep));
  if (key.includes('\0') || bad !== undefined) {
    throw new RangeError(
      `object key ${JSON.stringify(key)} cannot be stored in a folder: ` +
        'expected /-separated non-empty segments other than "." and "..", without NUL',
    );
  }
}

async function writeWhole(path: string, body: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(body);
  } finally {
    await handle.close();
  }
}
