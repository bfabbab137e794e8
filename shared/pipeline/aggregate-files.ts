// Aggregates local log files on several threads: large plain files are cut into byte ranges at
// newlines, each thread claims pieces as it gets free and folds them into its own patterns, and
// the results are merged. The outcome is the single-threaded one, byte for byte: merging is
// commutative and associative, and line numbers and rejections are put back in input order.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  type AccessLogScanPiece,
  listAccessLogFiles,
  planAccessLogScan,
  type ReadAccessLogsOptions,
  type RejectedLine,
  readAccessLogs,
} from '../log/index.ts';
import type { PackedPatterns } from '../patterns/index.ts';
import {
  type AggregateResult,
  Aggregation,
  aggregateLogs,
  MAX_KEPT_REJECTIONS,
} from './aggregate-logs.ts';
import {
  aggregatePieces,
  fromThreadError,
  type PieceOutcome,
  PieceQueue,
} from './aggregate-pieces.ts';

export interface AggregateFilesOptions extends ReadAccessLogsOptions {
  /**
   * Threads to read with, this one included. Default: one per CPU for inputs of at least
   * PARALLEL_MIN_BYTES, else one (a worker costs tens of ms to start).
   */
  threads?: number;
  /** Smallest byte range a plain file is cut into (default MIN_PIECE_BYTES). */
  minPieceBytes?: number;
}

export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;
const MIN_PIECE_BYTES = 16 * 1024 * 1024;

// A worker's young generation at half V8's default: its garbage is short-lived log text, and the
// peak RSS of a 1 GB run (two threads) was 281-291 MB against a 300 MB budget; with this,
// 276-281 MB in the same runs, at no measurable cost in time.
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 24 };

/** What the main thread tells a worker. */
export interface AggregateWorkerData {
  pieces: readonly AccessLogScanPiece[];
  /** The shared counter of the PieceQueue over `pieces`. */
  next: Int32Array;
  reportsBytes: boolean;
}

export type AggregateWorkerMessage =
  | { kind: 'bytes'; bytes: number }
  | { kind: 'done'; packed: PackedPatterns; outcomes: PieceOutcome[] };

type WorkerResult = Extract<AggregateWorkerMessage, { kind: 'done' }>;

/**
 * aggregateLogs(readAccessLogs(inputs, options)), on several threads when the input is large:
 * the same patterns, counts, rejections (with their line numbers) and errors.
 */
export async function aggregateLogFiles(
  inputs: string[],
  options: AggregateFilesOptions = {},
): Promise<AggregateResult> {
  const files = await listAccessLogFiles(inputs);
  const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
  const threads = Math.max(
    1,
    options.threads ?? (totalBytes >= PARALLEL_MIN_BYTES ? availableParallelism() : 1),
  );
  if (threads === 1) return aggregateLogs(readAccessLogs(inputs, options));

  const minPieceBytes = options.minPieceBytes ?? MIN_PIECE_BYTES;
  const pieces = await planAccessLogScan(files, { threads, minPieceBytes });
  const queue = new PieceQueue(pieces);
  const onBytes = options.onBytes;
  const aggregation = new Aggregation();
  const workerCount = Math.min(threads, pieces.length) - 1;
  const workers = Array.from({ length: workerCount }, () => runWorker(queue, onBytes));
  const outcomes: PieceOutcome[] = [];
  const packed: PackedPatterns[] = [];
  try {
    outcomes.push(...(await aggregatePieces(queue, onBytes, aggregation)));
    // While the workers sort and pack their own.
    aggregation.sortForMerge();
    for (const w of workers) {
      const result = await w.result;
      packed.push(result.packed);
      outcomes.push(...result.outcomes);
    }
  } finally {
    for (const w of workers) void w.worker.terminate();
  }
  return combine(outcomes, pieces, aggregation, packed);
}

// Bundled (the bench), the worker is aggregate-worker.js beside the bundle. Run from source (tsx,
// vitest), it is the .ts file beside this one, which a worker can only load once tsx is registered
// in it: Node 20 does not apply loader hooks given in a worker's execArgv.
const isTypeScript = import.meta.url.endsWith('.ts');

function startWorker(data: AggregateWorkerData): Worker {
  const entry = new URL(`./aggregate-worker.${isTypeScript ? 'ts' : 'js'}`, import.meta.url);
  if (!isTypeScript) return new Worker(entry, { workerData: data, resourceLimits: WORKER_LIMITS });
  // require.resolve picks the package's CommonJS build; the ES module build sits beside it.
  const tsxApiPath = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const tsxApi = pathToFileURL(tsxApiPath).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data, resourceLimits: WORKER_LIMITS });
}

function runWorker(
  queue: PieceQueue,
  onBytes: ((bytes: number) => void) | undefined,
): { worker: Worker; result: Promise<WorkerResult> } {
  const worker = startWorker({
    pieces: queue.pieces,
    next: queue.next,
    reportsBytes: onBytes !== undefined,
  });
  const result = new Promise<WorkerResult>((resolve, reject) => {
    let done: WorkerResult | undefined;
    worker.on('message', (message: AggregateWorkerMessage) => {
      if (message.kind === 'bytes') onBytes?.(message.bytes);
      else done = message;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (done !== undefined) resolve(done);
      else reject(new Error(`aggregation worker exited with code ${code} before its result`));
    });
  });
  return { worker, result };
}

/** The pieces' outcomes and patterns as one result, in input order; the first error thrown. */
function combine(
  unordered: readonly PieceOutcome[],
  pieces: readonly AccessLogScanPiece[],
  aggregation: Aggregation,
  packed: readonly PackedPatterns[],
): AggregateResult {
  const outcomes = [...unordered].sort((a, b) => a.index - b.index);
  const failed = outcomes.find((o): o is Extract<PieceOutcome, { ok: false }> => !o.ok);
  if (failed !== undefined) throw fromThreadError(failed.error);

  let records = 0;
  let rejectedLines = 0;
  const rejections: RejectedLine[] = [];
  // Pieces of one file are consecutive in the plan: a piece's line numbers continue the lines
  // of the pieces before it in the same file.
  let linesBefore = 0;
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    if (pieces[outcome.index]?.start === 0) linesBefore = 0;
    records += outcome.records;
    rejectedLines += outcome.rejectedLines;
    for (const rejected of outcome.rejections) {
      if (rejections.length >= MAX_KEPT_REJECTIONS) break;
      rejections.push(
        linesBefore === 0
          ? rejected
          : {
              ...rejected,
              location: { ...rejected.location, line: rejected.location.line + linesBefore },
            },
      );
    }
    linesBefore += outcome.lines;
  }
  return { patterns: aggregation.patternsWith(packed), records, rejectedLines, rejections };
}
