// One thread's share of a parallel aggregation: it reads its pieces of the input in turn into its
// aggregation and keeps, per piece, what must later be put in input order (counts, rejections).
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
 * Reads `pieces` in turn; stops at the first failure, as reading the files one by one would (a
 * later piece's outcome cannot matter once an earlier one has failed).
 */
export async function aggregatePieces(
  pieces: readonly NumberedPiece[],
  onBytes: ((bytes: number) => void) | undefined,
  aggregation: Aggregation,
): Promise<PieceOutcome[]> {
  const outcomes: PieceOutcome[] = [];
  for (const { index, piece } of pieces) {
    try {
      const lines = await scanAccessLogPiece(piece, aggregation, onBytes);
      outcomes.push({ index, ok: true, lines, ...aggregation.takeTally() });
    } catch (error) {
      outcomes.push({ index, ok: false, error: toThreadError(error) });
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
