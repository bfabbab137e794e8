// Writes output files under a directory on a thread of its own, while the caller goes on making
// more of them.
import { Worker } from 'node:worker_threads';
import type { OutputFile } from '../shared/pipeline/index.ts';

/** The first write that failed, as the writing thread saw it (a Node.js file-system error). */
interface WriteFailure {
  message: string;
  code: string | undefined;
  path: string | undefined;
  syscall: string | undefined;
}

// The few hundred small files of a large analysis (a summary per hour) take 0.15-0.3 s of this
// machine's file system. Written from the main thread, that time came after all the encoding; on
// a thread of their own each is written while the main thread encodes the next and builds the
// policies (measured on the 1 GB bench log: analyze 0.05-0.2 s faster). That thread is plain
// JavaScript with Node.js built-ins only, run from this text: it starts in milliseconds without
// the TypeScript loader, and a bundle needs no file beside it. An eval worker is CommonJS, hence
// require. It answers null once every file sent before the null is written, or the first
// failure (and writes nothing after it).
const WRITING_THREAD = `
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const folders = new Set();
let failure = null;
parentPort.on('message', (file) => {
  if (file === null) {
    parentPort.postMessage(failure);
    return;
  }
  if (failure !== null) return;
  const path = join(workerData.dir, file.key);
  try {
    const folder = dirname(path);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    writeFileSync(path, file.body);
  } catch (error) {
    failure = { message: String(error.message), code: error.code, path: error.path, syscall: error.syscall };
  }
});
`;

/**
 * Runs `make`, which hands files to `write` as it makes them; they are written under `dir`
 * (folders created as needed) on another thread meanwhile. Resolves to what `make` returned once
 * every file is written.
 * @throws what `make` threw, or the file-system error of the first file that could not be written
 *   (files after it are not written).
 */
export async function writeFilesWhile<T>(
  dir: string,
  make: (write: (file: OutputFile) => void) => T,
): Promise<T> {
  const thread = new Worker(WRITING_THREAD, { eval: true, workerData: { dir } });
  const answer = new Promise<WriteFailure | null>((resolve, reject) => {
    thread.once('message', resolve);
    thread.once('error', reject);
    thread.once('exit', (code) => {
      reject(new Error(`the file-writing thread stopped (exit code ${code}) before it answered`));
    });
  });
  // When make throws, nobody waits for the answer: its rejection on terminate is expected.
  answer.catch(() => {});
  try {
    const made = make((file) => thread.postMessage({ key: file.key, body: file.body }));
    thread.postMessage(null);
    const failure = await answer;
    if (failure !== null) throw fileSystemErrorOf(failure);
    return made;
  } finally {
    await thread.terminate();
  }
}

/** The failure as the error Node.js threw in the writing thread (cli/output.ts words it). */
function fileSystemErrorOf(failure: WriteFailure): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(failure.message);
  if (failure.code !== undefined) error.code = failure.code;
  if (failure.path !== undefined) error.path = failure.path;
  if (failure.syscall !== undefined) error.syscall = failure.syscall;
  return error;
}
