// The ObjectStore: the small slice of S3 the pipeline needs, so the same core code runs against a
// local folder (CLI, tests) or a bucket (Lambda) without knowing which.

/** What `head` tells about an object without reading it. */
export interface ObjectInfo {
  /** Size in bytes. */
  size: number;
  /** The entity tag without surrounding quotes: changes whenever the content changes. */
  etag: string;
}

/**
 * Objects addressed by key (`logs/service=svc-…/dt=…/x.gz`): `/`-separated, no leading `/`,
 * any other characters including spaces and `+`.
 */
export interface ObjectStore {
  /**
   * The object's bytes as a stream of chunks, read lazily: memory stays bounded by the chunk size.
   * Throws ObjectNotFoundError on the first read when there is no such object.
   */
  getStream(key: string): AsyncIterable<Uint8Array>;
  /** The whole object. Throws ObjectNotFoundError when there is no such object. */
  get(key: string): Promise<Uint8Array>;
  /** Writes the object whole: a reader sees the old bytes or the new ones, never a mix. */
  put(key: string, body: string | Uint8Array, contentType?: string): Promise<void>;
  /** Every key that starts with `prefix` (a plain string prefix, not a folder), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Size and ETag of an object, or undefined when there is none. */
  head(key: string): Promise<ObjectInfo | undefined>;
}
