// Specification of planAccessLogScan: how the input is cut into pieces that threads claim in
// order, large first and small last, each starting at a line.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessLogFile,
  type AccessLogScanPiece,
  listAccessLogFiles,
  planAccessLogScan,
} from '../../../shared/log/index.ts';

let root: string;

/** Lines of varied lengths, so cuts rarely land on a line start. */
function text(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `line ${i} ${'x'.repeat((i * 37) % 101)}\n`).join(
    '',
  );
}

async function fileOf(name: string, body: string | Uint8Array): Promise<AccessLogFile> {
  const path = join(root, name);
  await writeFile(path, body);
  const [file] = await listAccessLogFiles([path]);
  if (file === undefined) throw new Error(`${path} not listed`);
  return file;
}

/** The end of a piece as an offset (a whole file's end is Infinity). */
function endOf(piece: AccessLogScanPiece, size: number): number {
  return piece.end === Number.POSITIVE_INFINITY ? size : piece.end;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lattice-lens-plan-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('planAccessLogScan', () => {
  it('cuts a large plain file into ranges that cover it, each starting after a newline', async () => {
    const file = await fileOf('large.log', text(20_000));
    const bytes = await readFile(file.path);
    const pieces = await planAccessLogScan([file], { threads: 2, minPieceBytes: 4096 });
    expect(pieces.length).toBeGreaterThan(4);
    expect(pieces[0]?.start).toBe(0);
    pieces.forEach((piece, i) => {
      const next = pieces[i + 1];
      expect(endOf(piece, file.bytes)).toBe(next?.start ?? file.bytes);
      expect(piece.bytes).toBe(endOf(piece, file.bytes) - piece.start);
      if (piece.start > 0) expect(bytes[piece.start - 1]).toBe(0x0a);
    });
    expect(pieces.at(-1)?.end).toBe(Number.POSITIVE_INFINITY);
  });

  it('cuts large pieces first and small ones last, none but the last below the minimum', async () => {
    const file = await fileOf('shrinking.log', text(40_000));
    const minPieceBytes = 8192;
    const pieces = await planAccessLogScan([file], { threads: 2, minPieceBytes });
    // About a quarter of the input first (1 / (2 × threads)), then a quarter of what is left …
    expect(pieces[0]?.bytes).toBeGreaterThanOrEqual(file.bytes / 4);
    expect(pieces[0]?.bytes).toBeLessThan(file.bytes / 4 + 200);
    const sizes = pieces.map((piece) => piece.bytes);
    for (let i = 1; i < sizes.length - 1; i++) {
      // … each at most the one before (a cut moves to the next line start: a line's length more).
      expect(sizes[i]).toBeLessThanOrEqual((sizes[i - 1] as number) + 200);
      expect(sizes[i]).toBeGreaterThanOrEqual(minPieceBytes);
    }
    expect(sizes.at(-1)).toBeLessThan(2 * minPieceBytes + 200);
  });

  it('keeps small files, gzip files and a file of one long line whole', async () => {
    const small = await fileOf('small.log', text(10));
    const gzip = await fileOf('big.log.gz', gzipSync(text(20_000), { level: 0 }));
    const oneLine = await fileOf('one-line.log', 'x'.repeat(100_000));
    const pieces = await planAccessLogScan([small, gzip, oneLine], {
      threads: 4,
      minPieceBytes: 1000,
    });
    expect(pieces).toEqual(
      [small, gzip, oneLine].map((file) => ({
        path: file.path,
        start: 0,
        end: Number.POSITIVE_INFINITY,
        bytes: file.bytes,
      })),
    );
  });

  it('shares out the input across files: a file early in a large input gets larger pieces', async () => {
    const first = await fileOf('first.log', text(20_000));
    const second = await fileOf('second.log', text(20_000));
    const plan = await planAccessLogScan([first, second], { threads: 2, minPieceBytes: 2048 });
    const firstPieces = plan.filter((piece) => piece.path === first.path);
    const secondPieces = plan.filter((piece) => piece.path === second.path);
    expect(firstPieces[0]?.bytes).toBeGreaterThan(1.5 * (secondPieces[0]?.bytes ?? 0));
  });
});
