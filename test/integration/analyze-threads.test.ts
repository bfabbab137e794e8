// analyze on several threads gives what it gives on one, byte for byte: large plain files are read
// as byte ranges cut at newlines, and results, line numbers and errors are put back in input order.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyze } from '../../cli/analyze.ts';
import { generateAccessLogLines } from '../../sample-logs/generator.ts';
import { CorruptInputError } from '../../shared/log/index.ts';
import { aggregateLogFiles } from '../../shared/pipeline/index.ts';
import { filesUnder } from './files-under.ts';

let root: string;
let input: string;

/** Lines of the sample scenario, with the oddities a cut may land next to. */
function trickyLog(seed: number): string {
  const lines = [
    ...generateAccessLogLines({
      seed,
      requests: 1500,
      start: new Date('2026-11-20T00:00:00Z'),
      hours: 30,
      malformedEvery: 37,
    }),
  ];
  const odd = lines.map((line, index) => {
    // A BOM mid-file is text to the reader (the strict parser skips it), a CR ends a CRLF line,
    // blank lines still count for line numbers, and multi-byte UTF-8 must not be cut.
    if (index % 101 === 50) return `\ufeff${line}`;
    if (index % 89 === 7) return `${line}\r`;
    if (index % 97 === 3) return `${line}\n`;
    if (index % 83 === 11)
      return line.replace('"requestPath":"/', '"requestPath":"/caf\u00e9/\u{1f600}/');
    return line;
  });
  return `\ufeff${odd.join('\n')}`;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lattice-lens-threads-'));
  input = join(root, 'logs');
  await mkdir(join(input, 'b'), { recursive: true });
  await writeFile(join(input, 'a.log'), `${trickyLog(1)}\n`);
  await writeFile(join(input, 'b', 'c.log.gz'), gzipSync(`${trickyLog(2)}\n`));
  // No newline at the end: the last range ends with the file.
  await writeFile(join(input, 'b', 'd.log'), trickyLog(3));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('analyze on several threads', () => {
  it('writes the same files and reports the same result as on one thread', async () => {
    const one = join(root, 'one');
    const many = join(root, 'many');
    const single = await runAnalyze([input], { out: one, minRequests: 5 }, { threads: 1 });
    const parallel = await runAnalyze(
      [input],
      { out: many, minRequests: 5 },
      { threads: 3, minPieceBytes: 1 },
    );
    expect(single.rejectedLines).toBeGreaterThan(0);
    expect(JSON.stringify(parallel).replaceAll(many, one)).toBe(JSON.stringify(single));
    const expected = await filesUnder(one);
    const actual = await filesUnder(many);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, bytes] of expected) expect(actual.get(path)?.equals(bytes), path).toBe(true);
  });

  it('gives every rejection its line number in the whole file, whatever the cut', async () => {
    const single = await aggregateLogFiles([input], { threads: 1 });
    for (const threads of [2, 4]) {
      for (const minPieceBytes of [1, 50_000]) {
        const parallel = await aggregateLogFiles([input], { threads, minPieceBytes });
        expect(parallel.rejections).toEqual(single.rejections);
        expect(parallel.records).toBe(single.records);
        expect(parallel.patterns).toEqual(single.patterns);
      }
    }
  });

  it('merges as one thread does when a key string holds a NUL, which changes the key order', async () => {
    const nul = join(root, 'nul');
    await mkdir(nul, { recursive: true });
    const lines = trickyLog(7)
      .split('\n')
      .map((line, index) =>
        index % 5 === 0
          ? line.replace('"callerX509SubjectCN":"-"', '"callerX509SubjectCN":"a\\u0000b"')
          : line,
      );
    await writeFile(join(nul, 'a.log'), `${lines.join('\n')}\n`);
    const single = await aggregateLogFiles([nul], { threads: 1 });
    expect(single.patterns.some((p) => p.callerX509SubjectCN === 'a\u0000b')).toBe(true);
    const parallel = await aggregateLogFiles([nul], { threads: 3, minPieceBytes: 1 });
    expect(parallel.patterns).toEqual(single.patterns);
  });

  it('throws the error of the first bad file, as reading on one thread does', async () => {
    const bad = join(root, 'bad');
    await mkdir(bad, { recursive: true });
    await writeFile(join(bad, 'a.log'), `${trickyLog(4)}\n`);
    await writeFile(join(bad, 'b.log.gz'), gzipSync(`${trickyLog(5)}\n`).subarray(0, 2000));
    await writeFile(join(bad, 'c.log.gz'), gzipSync(`${trickyLog(6)}\n`).subarray(0, 3000));
    const message = await aggregateLogFiles([bad], { threads: 1 }).catch((e: unknown) => e);
    expect(message).toBeInstanceOf(CorruptInputError);
    await expect(aggregateLogFiles([bad], { threads: 3, minPieceBytes: 1 })).rejects.toThrow(
      new CorruptInputError((message as Error).message, join(bad, 'b.log.gz')),
    );
    await expect(aggregateLogFiles([bad], { threads: 3, minPieceBytes: 1 })).rejects.toBeInstanceOf(
      CorruptInputError,
    );
  });
});
