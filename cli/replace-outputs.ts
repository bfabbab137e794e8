// Replaces a command's outputs under a directory all at once: what a run writes goes into a folder
// of its own, and is moved into place only when all of it is written.
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { OutputFile } from '../shared/pipeline/index.ts';
import { writeFilesWhile } from './write-files.ts';

/** The folder under the output directory that a run writes into before it moves its files. */
const STAGING_PREFIX = '.lattice-lens-staging-';

/**
 * Runs `make`, writing the files it hands to `write` (as writeFilesWhile does), then replaces each
 * of `outputs` (names of files or folders directly under `dir`) with what was written of it: an
 * output the run wrote nothing of is removed, so a re-run leaves nothing of an earlier input, and
 * what it wrote under other names is not kept. When `make` or a write fails, `outputs` are left
 * as they were and nothing of the run stays behind.
 * @throws what `make` threw, or the file-system error of the first file that could not be written,
 *   naming the path it was meant for under `dir`.
 */
export async function replaceOutputs<T>(
  dir: string,
  outputs: readonly string[],
  make: (write: (file: OutputFile) => void) => T,
): Promise<T> {
  await removeStagingLeftBehind(dir);
  const staging = await mkdtemp(join(dir, STAGING_PREFIX));
  try {
    const made = await writeFilesWhile(staging, make).catch((error: unknown) => {
      throw pathUnder(dir, staging, error);
    });
    const written = new Set(await readdir(staging));
    // Between a removal and its rename the output is missing, for as long as a rename takes.
    for (const name of outputs) {
      await rm(join(dir, name), { recursive: true, force: true });
      if (written.has(name)) await rename(join(staging, name), join(dir, name));
    }
    return made;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** A killed run cannot remove its staging folder: the next run into `dir` does. */
async function removeStagingLeftBehind(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.startsWith(STAGING_PREFIX)) {
      await rm(join(dir, entry.name), { recursive: true, force: true });
    }
  }
}

/** A write error names the file in the staging folder, gone once it fails: name it under `dir`. */
function pathUnder(dir: string, staging: string, error: unknown): unknown {
  const failed = error as NodeJS.ErrnoException;
  if (typeof failed?.path === 'string' && failed.path.startsWith(staging)) {
    failed.path = join(dir, relative(staging, failed.path));
  }
  return error;
}
