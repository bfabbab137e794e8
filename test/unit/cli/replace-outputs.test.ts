// Specification of replaceOutputs: analyze replaces its outputs under --out whole, and a run that
// fails half-way leaves the earlier ones as they were, not a mix of two runs.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failureOf } from '../../../cli/output.ts';
import { replaceOutputs } from '../../../cli/replace-outputs.ts';
import { filesUnder } from '../../integration/files-under.ts';

const OUTPUTS = ['summaries', 'policies', 'report.html'];

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lattice-lens-replace-outputs-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (key: string, body: string) => ({ key, body, contentType: '' });

/** Every file under dir, path → text. */
async function textsUnder(folder: string): Promise<Record<string, string>> {
  const texts: Record<string, string> = {};
  for (const [path, bytes] of await filesUnder(folder)) texts[path] = bytes.toString('utf8');
  return texts;
}

/** An earlier run's outputs, and a file of the user's that is not one of them. */
async function writeEarlierRun(): Promise<Record<string, string>> {
  await mkdir(join(dir, 'summaries', 'dt=2026-11-19', 'hour=23'), { recursive: true });
  await mkdir(join(dir, 'policies'), { recursive: true });
  await writeFile(join(dir, 'summaries', 'dt=2026-11-19', 'hour=23', 'analyze.parquet'), 'old');
  await writeFile(join(dir, 'policies', 'svc-old.json'), 'old policy');
  await writeFile(join(dir, 'report.html'), 'old report');
  await writeFile(join(dir, 'notes.txt'), 'mine');
  return textsUnder(dir);
}

/** The earlier run's files are all there, unchanged, and nothing of the failed run is. */
async function expectAsBefore(earlier: Record<string, string>): Promise<void> {
  expect(await textsUnder(dir)).toEqual(earlier);
  expect((await readdir(dir)).sort()).toEqual([
    'notes.txt',
    'policies',
    'report.html',
    'summaries',
  ]);
}

describe('replaceOutputs', () => {
  it('replaces each output whole: nothing of the earlier run stays beside the new files', async () => {
    await writeEarlierRun();
    const made = await replaceOutputs(dir, OUTPUTS, (write) => {
      write(file('summaries/dt=2026-11-20/hour=00/analyze.parquet', 'new'));
      write(file('policies/svc-new.json', 'new policy'));
      write(file('report.html', 'new report'));
      return 'made';
    });
    expect(made).toBe('made');
    expect(await textsUnder(dir)).toEqual({
      'notes.txt': 'mine',
      'policies/svc-new.json': 'new policy',
      'report.html': 'new report',
      'summaries/dt=2026-11-20/hour=00/analyze.parquet': 'new',
    });
    expect(await readdir(dir)).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/^\.lattice-lens-staging-/)]),
    );
  });

  it('removes an output the run wrote nothing of, and drops files outside the outputs', async () => {
    await writeEarlierRun();
    await replaceOutputs(dir, OUTPUTS, (write) => {
      write(file('report.html', 'new report'));
      write(file('stray.txt', 'not an output'));
    });
    expect(await textsUnder(dir)).toEqual({ 'notes.txt': 'mine', 'report.html': 'new report' });
  });

  it('creates the directory when it is missing', async () => {
    const out = join(dir, 'a', 'b');
    await replaceOutputs(out, OUTPUTS, (write) => write(file('report.html', 'r')));
    expect(await textsUnder(out)).toEqual({ 'report.html': 'r' });
  });

  it('leaves the earlier outputs as they were when make throws, and no staging folder', async () => {
    const earlier = await writeEarlierRun();
    const failing = replaceOutputs(dir, OUTPUTS, (write) => {
      write(file('summaries/dt=2026-11-20/hour=00/analyze.parquet', 'new'));
      write(file('report.html', 'new report'));
      throw new Error('policy generation failed');
    });
    await expect(failing).rejects.toThrow('policy generation failed');
    await expectAsBefore(earlier);
  });

  it('leaves the earlier outputs when a write fails, naming the path under the directory', async () => {
    const earlier = await writeEarlierRun();
    const failing = replaceOutputs(dir, OUTPUTS, (write) => {
      write(file('policies', 'a file where the folder goes'));
      write(file('policies/svc-new.json', 'new policy'));
    });
    const error = await failing.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EEXIST', path: join(dir, 'policies') });
    expect(failureOf(error).message).toBe(
      `cannot write ${join(dir, 'policies')}: it is a file, not a directory (EEXIST)`,
    );
    await expectAsBefore(earlier);
  });

  it('removes the staging folder a killed run left behind', async () => {
    await mkdir(join(dir, '.lattice-lens-staging-abc123', 'summaries'), { recursive: true });
    await writeFile(join(dir, '.lattice-lens-staging-abc123', 'summaries', 'x'), 'half-written');
    await replaceOutputs(dir, OUTPUTS, (write) => write(file('report.html', 'r')));
    expect(await readdir(dir)).toEqual(['report.html']);
  });
});
