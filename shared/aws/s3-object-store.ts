// The ObjectStore on an S3 bucket, plus the presigned links the download function hands out.
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type ObjectInfo, ObjectNotFoundError, type ObjectStore } from '../store/index.ts';

// GetObject names a missing key NoSuchKey (a missing bucket is NoSuchBucket, also a 404, and must
// not pass for a missing object). HeadObject has no body, so only its 404 says NotFound.
function isNoSuchKey(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'NoSuchKey';
}

function isHeadNotFound(error: unknown): boolean {
  const failure = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | null;
  return failure?.name === 'NotFound' || failure?.$metadata?.httpStatusCode === 404;
}

/** S3 quotes ETags (`"9b2c…"`); the store interface hands them out bare. */
function bareEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '');
}

export class S3ObjectStore implements ObjectStore {
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async *getStream(key: string): AsyncGenerator<Uint8Array> {
    const body = await this.#body(key);
    const chunks = body as unknown as AsyncIterable<Uint8Array> & { destroy?: () => void };
    try {
      for await (const chunk of chunks) yield chunk;
    } finally {
      // A reader that stops early must not leave the HTTP connection half-read.
      chunks.destroy?.();
    }
  }

  async get(key: string): Promise<Uint8Array> {
    const body = await this.#body(key);
    return await body.transformToByteArray();
  }

  async put(key: string, body: string | Uint8Array, contentType?: string): Promise<void> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        // Stated, not inferred: the SDK cannot infer it for an empty body and warns on every put.
        ContentLength: bytes.byteLength,
        ...(contentType === undefined ? {} : { ContentType: contentType }),
      }),
    );
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const pages = paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.bucket, Prefix: prefix },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) keys.push(object.Key);
      }
    }
    // S3 already lists in UTF-8 byte order; compatible servers are not all so careful.
    return keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: head.ContentLength ?? 0, etag: bareEtag(head.ETag) };
    } catch (error) {
      if (isHeadNotFound(error)) return undefined;
      throw error;
    }
  }

  /** A URL that lets its holder GET `key` without credentials for `expiresInSeconds`. */
  async presignGet(key: string, expiresInSeconds: number): Promise<string> {
    return await getSignedUrl(
      this.client,
      new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      { expiresIn: expiresInSeconds },
    );
  }

  async #body(key: string) {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      if (object.Body === undefined) throw new Error(`S3 GetObject ${key}: response has no body`);
      return object.Body;
    } catch (error) {
      if (isNoSuchKey(error)) throw new ObjectNotFoundError(key, { cause: error });
      throw error;
    }
  }
}
