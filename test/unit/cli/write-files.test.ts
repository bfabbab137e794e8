// Specification of writeFilesWhile: analyze's files are written on another thread while it makes
// the next ones, and a file that cannot be written fails the command as any write failure does.
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failureOf } from '../../../cli/output.ts';
import { writeFilesWhile } from '../../../cli/write-files.ts';
import { filesUnder } from '../../integration/files-under.ts';

/** The paths of the files under dir, sorted. */
const pathsUnder = async (dir: string) => [...(await filesUnder(dir)).keys()].sort();

/** This process's threads (Linux): a writing thread left running would be one more. */
const threadCount = () => readdirSync('/proc/self/task').length;

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lattice-lens-write-files-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (key: string, body: string | Uint8Array) => ({ key, body, contentType: '' });

describe('writeFilesWhile', () => {
  it('writes text and bytes under the directory, creating folders, and returns what make made', async () => {
    const bytes = new Uint8Array([0x50, 0x41, 0x52, 0x31, 0x00, 0xff]);
    const made = await writeFilesWhile(dir, (write) => {
      write(file('summaries/dt=2026-11-20/hour=00/analyze.parquet', bytes));
      write(file('policies/svc-1.json', '{"Version":"2012-10-17"}'));
      write(file('report.html', 'é – ✓'));
      return 'made';
    });
    expect(made).toBe('made');
    expect(await pathsUnder(dir)).toEqual([
      'policies/svc-1.json',
      'report.html',
      'summaries/dt=2026-11-20/hour=00/analyze.parquet',
    ]);
    expect(
      new Uint8Array(await readFile(join(dir, 'summaries/dt=2026-11-20/hour=00/analyze.parquet'))),
    ).toEqual(bytes);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toBe('é – ✓');
  });

  it('leaves the caller its bytes: they are copied to the writing thread, not moved', async () => {
    const bytes = new Uint8Array(1024).fill(7);
    await writeFilesWhile(dir, (write) => write(file('a.bin', bytes)));
    expect(bytes.byteLength).toBe(1024);
    expect(bytes.every((b) => b === 7)).toBe(true);
  });

  it('writes many files, every one whole, with none left behind when it resolves', async () => {
    const count = 400;
    await writeFilesWhile(dir, (write) => {
      for (let i = 0; i < count; i++) {
        write(file(`hour=${i % 24}/file-${i}.txt`, `${i}\n`.repeat(100)));
      }
    });
    expect(await pathsUnder(dir)).toHaveLength(count);
    expect(await readFile(join(dir, 'hour=15/file-399.txt'), 'utf8')).toBe('399\n'.repeat(100));
  });

  it('stops its thread once the files are written', async () => {
    const before = threadCount();
    await writeFilesWhile(dir, (write) => write(file('a.txt', 'a')));
    expect(threadCount()).toBe(before);
  });

  it('resolves at once when make writes nothing', async () => {
    await expect(writeFilesWhile(dir, () => 0)).resolves.toBe(0);
    expect(await pathsUnder(dir)).toEqual([]);
  });

  it('fails with the file-system error of the first file it could not write, and writes none after it', async () => {
    await writeFile(join(dir, 'policies'), 'a file where a folder should be');
    const error = await writeFilesWhile(dir, (write) => {
      write(file('summaries/a.parquet', 'first'));
      write(file('policies/svc-1.json', '{}'));
      write(file('report.html', 'after the failure'));
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EEXIST', syscall: 'mkdir', path: join(dir, 'policies') });
    expect(failureOf(error)).toEqual({
      exitCode: 2,
      message: `cannot write ${join(dir, 'policies')}: it is a file, not a directory (EEXIST)`,
    });
    expect(await readFile(join(dir, 'summaries/a.parquet'), 'utf8')).toBe('first');
    await expect(stat(join(dir, 'report.html'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails with what make threw, and stops the writing thread all the same', async () => {
    const before = threadCount();
    await expect(
      writeFilesWhile(dir, (write) => {
        write(file('a.txt', 'a'));
        throw new RangeError('encodeSummary: pattern 3 is not safe');
      }),
    ).rejects.toThrow(new RangeError('encodeSummary: pattern 3 is not safe'));
    expect(threadCount()).toBe(before);
  });
});
