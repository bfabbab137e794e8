// Writes output files under a directory, creating folders as needed.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { OutputFile } from '../shared/pipeline/index.ts';

// One file at a time, the few hundred small files of a large analysis (a summary per hour) took
// 0.1-0.15 s of waiting on the file system; a few at once keep libuv's threads busy instead.
const CONCURRENT_WRITES = 16;

export async function writeFiles(dir: string, files: readonly OutputFile[]): Promise<void> {
  const folders = new Set(files.map((file) => dirname(join(dir, file.key))));
  await Promise.all([...folders].map((folder) => mkdir(folder, { recursive: true })));
  let next = 0;
  const writeRest = async () => {
    while (next < files.length) {
      const file = files[next++] as OutputFile;
      await writeFile(join(dir, file.key), file.body);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_WRITES, files.length) }, writeRest));
}
