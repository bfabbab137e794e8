// Specification of PieceQueue: threads claim the plan's pieces in order, each once; a worker leaves
// the last piece to the main thread.
import { describe, expect, it } from 'vitest';
import type { AccessLogScanPiece } from '../../../shared/log/index.ts';
import { PieceQueue } from '../../../shared/pipeline/aggregate-pieces.ts';

const pieces: AccessLogScanPiece[] = [0, 1, 2].map((i) => ({
  path: 'a.log',
  start: i * 10,
  end: i === 2 ? Number.POSITIVE_INFINITY : (i + 1) * 10,
  bytes: 10,
}));

describe('PieceQueue', () => {
  it('hands out every piece once, in order, to whichever queue over the same counter claims', () => {
    const main = new PieceQueue(pieces);
    const worker = new PieceQueue(pieces, main.next);
    expect([main.claim()?.index, worker.claim()?.index, main.claim()?.index]).toEqual([0, 1, 2]);
    expect(worker.claim()).toBeUndefined();
    expect(main.claim()).toBeUndefined();
  });

  it('leaves the last piece to the main thread when a worker claims', () => {
    const main = new PieceQueue(pieces);
    const worker = new PieceQueue(pieces, main.next);
    expect(worker.claimBeforeLast()?.index).toBe(0);
    expect(worker.claimBeforeLast()?.index).toBe(1);
    expect(worker.claimBeforeLast()).toBeUndefined();
    expect(main.claim()?.index).toBe(2);
  });

  it('hands out nothing more once closed', () => {
    const queue = new PieceQueue(pieces);
    queue.close();
    expect(queue.claim()).toBeUndefined();
    expect(queue.claimBeforeLast()).toBeUndefined();
  });
});
