// One thread's share of a parallel aggregation: it claims pieces of the input one at a time from a
// queue all threads share, reads each into its aggregation and keeps, per piece, what must later
// be put in input order (counts, rejections).
import {
  type AccessLogScanPiece,
  CorruptInputError,
  InputError,
  scanAccessLogPiece,
} from '../log/index.ts';
import type { AggregateTally, Aggregation } from './aggregate-logs.ts';

/** A piece and its position in the plan (input order). */
export interface NumberedPiece {
  index: number;
  piece: AccessLogScanPiece;
}

/** An error as it crosses threads: structured cloning keeps neither its class nor its path. */
export type ThreadError =
  | { kind: 'input'; message: string; path: string }
  | { kind: 'corrupt'; message: string; source: string }
  | { kind: 'other'; message: string; stack: string | undefined };

/** What reading one piece gave, besides patterns. */
export type PieceOutcome =
  | ({ index: number; ok: true; lines: number } & AggregateTally)
  | { index: number; ok: false; error: ThreadError };

/**
 * The plan's pieces, claimed in input order by whichever thread is free first. Threads read at
 * different speeds (a worker starts later and packs its patterns at the end; another process may
 * take a CPU): handing out many small pieces on demand, rather than one equal share each up front,
 * keeps every thread busy until the input runs out. The counter lives in shared memory, so a
 * claim is one atomic add, with no message to wait for.
 */
export class PieceQueue {
  readonly pieces: readonly AccessLogScanPiece[];
  /** Element 0: the index of the next piece to hand out. */
  readonly next: Int32Array;

  /** `next`: the counter another thread's queue shares (omit it to start a new one). */
  constructor(pieces: readonly AccessLogScanPiece[], next?: Int32Array) {
    this.pieces = pieces;
    this.next = next ?? new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  }

  /** The next unclaimed piece, or undefined when none is left. */
  claim(): NumberedPiece | undefined {
    const index = Atomics.add(this.next, 0, 1);
    const piece = this.pieces[index];
    return piece === undefined ? undefined : { index, piece };
  }

  /**
   * claim, except the last piece: a worker leaves it to the main thread, which reads it while the
   * worker packs and posts its patterns, rather than waiting for them after reading its own.
   * (Two threads may both see the last piece still to come; then the worker may read it.)
   */
  claimBeforeLast(): NumberedPiece | undefined {
    if (Atomics.load(this.next, 0) >= this.pieces.length - 1) return undefined;
    return this.claim();
  }

  /** Hands out nothing more: once a piece has failed, later pieces cannot change the outcome. */
  close(): void {
    Atomics.store(this.next, 0, this.pieces.length);
  }
}

/**
 * Reads pieces claimed from `queue` until none is left; stops at the first failure (and closes the
 * queue), as reading the files one by one would. Every piece claimed is read, so each piece before
 * a failure has an outcome in some thread. A worker (`isWorker`) leaves the last piece to the
 * main thread (PieceQueue.claimBeforeLast).
 */
export async function aggregatePieces(
  queue: PieceQueue,
  onBytes: ((bytes: number) => void) | undefined,
  aggregation: Aggregation,
  isWorker = false,
): Promise<PieceOutcome[]> {
  const outcomes: PieceOutcome[] = [];
  const claim = () => (isWorker ? queue.claimBeforeLast() : queue.claim());
  for (let claimed = claim(); claimed !== undefined; claimed = claim()) {
    const { index, piece } = claimed;
    try {
      const lines = await scanAccessLogPiece(piece, aggregation, onBytes);
      outcomes.push({ index, ok: true, lines, ...aggregation.takeTally() });
    } catch (error) {
      outcomes.push({ index, ok: false, error: toThreadError(error) });
      queue.close();
      break;
    }
  }
  return outcomes;
}

export function toThreadError(error: unknown): ThreadError {
  if (error instanceof InputError)
    return { kind: 'input', message: error.message, path: error.path };
  if (error instanceof CorruptInputError) {
    return { kind: 'corrupt', message: error.message, source: error.source };
  }
  if (error instanceof Error) return { kind: 'other', message: error.message, stack: error.stack };
  return { kind: 'other', message: String(error), stack: undefined };
}

export function fromThreadError(error: ThreadError): Error {
  switch (error.kind) {
    case 'input':
      return new InputError(error.message, error.path);
    case 'corrupt':
      return new CorruptInputError(error.message, error.source);
    case 'other': {
      const rebuilt = new Error(error.message);
      if (error.stack !== undefined) rebuilt.stack = error.stack;
      return rebuilt;
    }
  }
}
