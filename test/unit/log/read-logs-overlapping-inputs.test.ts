// Specification of listAccessLogFiles for inputs that overlap: a folder named twice, or named with
// a folder or file inside it, is read once per file, in a fixed order, and is no error.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, listAccessLogFiles } from '../../../shared/log/index.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lattice-lens-overlap-'));
  await mkdir(join(dir, 'logs', '2026', '11', '20'), { recursive: true });
  await writeFile(join(dir, 'logs', '0.log'), '{}\n');
  await writeFile(join(dir, 'logs', '2026', '11', '20', 'b.log'), '{}\n');
  await writeFile(join(dir, 'logs', '2026', '11', '20', 'c.log'), '{}\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The files listed for `inputs` (relative to the temporary folder), relative to its logs folder. */
async function listed(...inputs: string[]): Promise<string[]> {
  const files = await listAccessLogFiles(inputs.map((input) => `${dir}/${input}`));
  return files.map((f) => relative(join(dir, 'logs'), f.path));
}

const ALL = ['0.log', '2026/11/20/b.log', '2026/11/20/c.log'];
const INNER_FIRST = ['2026/11/20/b.log', '2026/11/20/c.log', '0.log'];

describe('listAccessLogFiles with overlapping inputs', () => {
  it('reads a folder named twice once', async () => {
    expect(await listed('logs', 'logs')).toEqual(ALL);
  });

  it('reads a folder named twice in different spellings, or through a link, once', async () => {
    await symlink(join(dir, 'logs'), join(dir, 'link'));
    expect(await listed('logs', './logs/', 'logs/2026/..', 'link')).toEqual(ALL);
  });

  it('reads a folder and a folder inside it once, the outer folder first', async () => {
    expect(await listed('logs', 'logs/2026/11/20')).toEqual(ALL);
  });

  it('reads a folder inside another once, the inner folder first', async () => {
    expect(await listed('logs/2026/11/20', 'logs')).toEqual(INNER_FIRST);
  });

  it('reads a folder and a file inside it once, in the order first named', async () => {
    expect(await listed('logs', 'logs/0.log')).toEqual(ALL);
    expect(await listed('logs/2026/11/20/b.log', 'logs')).toEqual([
      '2026/11/20/b.log',
      '0.log',
      '2026/11/20/c.log',
    ]);
  });

  it('still rejects a folder without log files, alone, named twice or inside another input', async () => {
    const empty = join(dir, 'logs', 'empty');
    await mkdir(empty);
    const noFiles = new InputError(`no log files found under ${empty}`, empty);
    await expect(listAccessLogFiles([empty])).rejects.toThrow(noFiles);
    await expect(listAccessLogFiles([empty, empty])).rejects.toThrow(noFiles);
    await expect(listAccessLogFiles([join(dir, 'logs'), empty])).rejects.toThrow(noFiles);
  });
});
