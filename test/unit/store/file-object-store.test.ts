// What FileObjectStore adds to the ObjectStore contract (test/integration/object-store.contract):
// keys a folder cannot hold safely are refused, and a put never leaves a partial file behind.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileObjectStore, ObjectNotFoundError } from '../../../shared/store/index.ts';

let root: string;
let store: FileObjectStore;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lattice-lens-file-store-'));
  store = new FileObjectStore(join(root, 'store'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('FileObjectStore', () => {
  it('lays objects out as files under the root, one folder per key segment', async () => {
    await store.put('summaries/dt=2026-11-20/hour=10/a.parquet', 'x');
    expect(await readdir(join(root, 'store/summaries/dt=2026-11-20/hour=10'))).toEqual([
      'a.parquet',
    ]);
  });

  it.each([
    ['an empty key', ''],
    ['an absolute key', '/etc/passwd'],
    ['a key climbing out of the root', '../outside'],
    ['a key with a .. segment inside', 'logs/../../outside'],
    ['a key with a . segment', 'logs/./a.gz'],
    ['a key with an empty segment', 'logs//a.gz'],
    ['a key ending in /', 'logs/'],
    ['a key with a NUL', 'logs/a\0.gz'],
  ])('refuses %s with a RangeError naming the key, on put and on get', async (_, key) => {
    await expect(store.put(key, 'x')).rejects.toThrow(RangeError);
    await expect(store.get(key)).rejects.toThrow(/cannot be stored in a folder/);
    expect(await readdir(root)).toEqual([]);
  });

  it('leaves no temporary file after a put, and lists none while one exists', async () => {
    await store.put('policies/latest.json', '{}');
    expect(await readdir(join(root, 'store/policies'))).toEqual(['latest.json']);
    // As if a put had been interrupted between writing and renaming.
    await writeFile(
      join(root, 'store/policies/.lattice-lens-0b7d3c7e-4a3f-4f0e-9d4c-2f1e0a9b8c7d.tmp'),
      'partial',
    );
    expect(await store.list('policies/')).toEqual(['policies/latest.json']);
  });

  it('lists nothing, without error, when the root folder does not exist yet', async () => {
    expect(await store.list('')).toEqual([]);
    expect(await store.list('summaries/dt=2026-11-20/')).toEqual([]);
  });

  it('reports a key that names a folder as a missing object', async () => {
    await store.put('logs/service=svc-1/a.gz', 'x');
    await expect(store.get('logs/service=svc-1')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await store.head('logs/service=svc-1')).toBeUndefined();
  });

  it('reports a key below an existing object as a missing object', async () => {
    await store.put('logs/a.gz', 'x');
    await expect(store.get('logs/a.gz/b')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });
});
