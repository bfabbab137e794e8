// The ObjectStore contract, run against both implementations: a local folder and S3 (s3rver on
// loopback). Whatever the pipeline relies on is stated here once and must hold for each.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../shared/aws/index.ts';
import {
  FileObjectStore,
  ObjectNotFoundError,
  type ObjectStore,
} from '../../shared/store/index.ts';
import { type LocalS3Server, startLocalS3Server } from './local-s3-server.ts';

interface StoreUnderTest {
  name: string;
  setUp(): Promise<void>;
  /** A fresh, empty store for one test. */
  fresh(): Promise<ObjectStore>;
  tearDown(): Promise<void>;
}

const folderStores = (): StoreUnderTest => {
  let root = '';
  let count = 0;
  return {
    name: 'FileObjectStore (local folder)',
    async setUp() {
      root = await mkdtemp(join(tmpdir(), 'lattice-lens-store-'));
    },
    async fresh() {
      count++;
      return new FileObjectStore(join(root, `store-${count}`));
    },
    async tearDown() {
      await rm(root, { recursive: true, force: true });
    },
  };
};

const bucketStores = (): StoreUnderTest => {
  let server: LocalS3Server | undefined;
  let count = 0;
  return {
    name: 'S3ObjectStore (s3rver)',
    async setUp() {
      server = await startLocalS3Server();
    },
    async fresh() {
      if (!server) throw new Error('server not started');
      count++;
      const bucket = `contract-${count}`;
      await server.client.send(new CreateBucketCommand({ Bucket: bucket }));
      return new S3ObjectStore(server.client, bucket);
    },
    async tearDown() {
      await server?.stop();
    },
  };
};

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

async function readAll(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ bytes: Buffer; count: number }> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return { bytes: Buffer.concat(parts), count: parts.length };
}

/** Deterministic bytes covering every byte value, `length` long. */
function someBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = 7;
  for (let i = 0; i < length; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    bytes[i] = i < 256 ? i : x >>> 16;
  }
  return bytes;
}

describe.each([folderStores(), bucketStores()])('ObjectStore contract: $name', (subject) => {
  let store: ObjectStore;

  beforeAll(() => subject.setUp());
  afterAll(() => subject.tearDown());
  beforeEach(async () => {
    store = await subject.fresh();
  });

  describe('put and get', () => {
    it('returns exactly the bytes that were put, every byte value included', async () => {
      const body = someBytes(4096);
      await store.put('a/b/c.bin', body, 'application/octet-stream');
      expect(Buffer.from(await store.get('a/b/c.bin')).equals(Buffer.from(body))).toBe(true);
    });

    it('stores a string body as UTF-8', async () => {
      await store.put('policies/svc-1.json', '{"é":"✓"}\n', 'application/json');
      expect(Buffer.from(await store.get('policies/svc-1.json')).toString('utf8')).toBe(
        '{"é":"✓"}\n',
      );
    });

    it('stores an empty object', async () => {
      await store.put('empty', new Uint8Array(0));
      expect((await store.get('empty')).byteLength).toBe(0);
      expect(await store.head('empty')).toEqual({ size: 0, etag: md5(new Uint8Array(0)) });
    });

    it('replaces an object whole when the same key is put again', async () => {
      await store.put('k', 'first version, longer than the second');
      await store.put('k', 'second');
      expect(Buffer.from(await store.get('k')).toString()).toBe('second');
    });

    it('keeps keys with spaces, plus signs, equals signs and non-ASCII characters as given', async () => {
      const key = 'logs/service=svc-1/dt=2026-11-20/a b+c%20d é.gz';
      await store.put(key, 'x');
      expect(await store.list('logs/')).toEqual([key]);
      expect(Buffer.from(await store.get(key)).toString()).toBe('x');
      expect(await store.head('logs/service=svc-1/dt=2026-11-20/a+b+c%20d é.gz')).toBeUndefined();
    });

    it('throws ObjectNotFoundError naming the key when there is no object', async () => {
      const error = await store.get('no/such/key').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ObjectNotFoundError);
      expect((error as ObjectNotFoundError).key).toBe('no/such/key');
    });

    it('treats a key that is only a prefix of other keys as missing', async () => {
      await store.put('logs/a.gz', 'x');
      await expect(store.get('logs')).rejects.toBeInstanceOf(ObjectNotFoundError);
      expect(await store.head('logs')).toBeUndefined();
    });
  });

  describe('getStream', () => {
    it('streams a large object in several chunks that concatenate to its bytes', async () => {
      const body = someBytes(3 * 1024 * 1024 + 17);
      await store.put('big.bin', body);
      const { bytes, count } = await readAll(store.getStream('big.bin'));
      expect(bytes.equals(Buffer.from(body))).toBe(true);
      expect(count).toBeGreaterThan(1);
    });

    it('throws ObjectNotFoundError on the first read when there is no object', async () => {
      const stream = store.getStream('missing.gz');
      await expect(readAll(stream)).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('can be abandoned after the first chunk without disturbing later reads', async () => {
      await store.put('big.bin', someBytes(2 * 1024 * 1024));
      for await (const chunk of store.getStream('big.bin')) {
        expect(chunk.byteLength).toBeGreaterThan(0);
        break;
      }
      expect((await store.get('big.bin')).byteLength).toBe(2 * 1024 * 1024);
    });
  });

  describe('head', () => {
    it('gives the size and the MD5 ETag of a single put, without quotes', async () => {
      const body = someBytes(1000);
      await store.put('x.bin', body);
      expect(await store.head('x.bin')).toEqual({ size: 1000, etag: md5(body) });
    });

    it('gives a new ETag when the content changes and the same one when it does not', async () => {
      await store.put('x', 'one');
      const first = await store.head('x');
      await store.put('x', 'two');
      const second = await store.head('x');
      await store.put('x', 'one');
      const third = await store.head('x');
      expect(second?.etag).not.toBe(first?.etag);
      expect(third?.etag).toBe(first?.etag);
    });

    it('is undefined when there is no object', async () => {
      expect(await store.head('nothing-here')).toBeUndefined();
    });
  });

  describe('list', () => {
    it('lists every key under a prefix, sorted, at any depth', async () => {
      for (const key of [
        'summaries/dt=2026-11-21/hour=00/b.parquet',
        'summaries/dt=2026-11-20/hour=10/a.parquet',
        'policies/latest.json',
        'summaries/dt=2026-11-20/hour=09/c.parquet',
      ]) {
        await store.put(key, 'x');
      }
      expect(await store.list('summaries/')).toEqual([
        'summaries/dt=2026-11-20/hour=09/c.parquet',
        'summaries/dt=2026-11-20/hour=10/a.parquet',
        'summaries/dt=2026-11-21/hour=00/b.parquet',
      ]);
    });

    it('treats the prefix as a string prefix, not a folder name', async () => {
      for (const key of ['logs/a/1', 'logs/ab/2', 'logs/b/3', 'logsx']) await store.put(key, 'x');
      expect(await store.list('logs/a')).toEqual(['logs/a/1', 'logs/ab/2']);
      expect(await store.list('logs')).toEqual(['logs/a/1', 'logs/ab/2', 'logs/b/3', 'logsx']);
    });

    it('lists everything for the empty prefix', async () => {
      await store.put('b', 'x');
      await store.put('a/c', 'x');
      expect(await store.list('')).toEqual(['a/c', 'b']);
    });

    it('is empty for a prefix nothing starts with, or an empty store', async () => {
      expect(await store.list('')).toEqual([]);
      await store.put('a/b', 'x');
      expect(await store.list('summaries/dt=2026-11-20/')).toEqual([]);
    });

    it('returns every key when there are more than one S3 page (1000) of them', async () => {
      const keys = Array.from({ length: 1005 }, (_, i) => `many/${String(i).padStart(4, '0')}`);
      // A few at a time: s3rver answers a thousand simultaneous puts with InternalError.
      for (let i = 0; i < keys.length; i += 25) {
        await Promise.all(keys.slice(i, i + 25).map((key) => store.put(key, '')));
      }
      expect(await store.list('many/')).toEqual(keys);
    });
  });
});

describe('S3ObjectStore', () => {
  let server: LocalS3Server;

  beforeAll(async () => {
    server = await startLocalS3Server('content-type-bucket');
  });
  afterAll(() => server.stop());

  it('stores the content type given to put, which the store interface does not read back', async () => {
    const store = new S3ObjectStore(server.client, server.bucket);
    await store.put('policies/report.html', '<!doctype html>', 'text/html; charset=utf-8');
    const head = await server.client.send(
      new HeadObjectCommand({ Bucket: server.bucket, Key: 'policies/report.html' }),
    );
    expect(head.ContentType).toBe('text/html; charset=utf-8');
  });

  it('reports a missing bucket as the SDK error it is, not as a missing object', async () => {
    const store = new S3ObjectStore(server.client, 'no-such-bucket');
    const error = await store.get('k').catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ObjectNotFoundError);
    expect((error as Error).name).toBe('NoSuchBucket');
  });
});
