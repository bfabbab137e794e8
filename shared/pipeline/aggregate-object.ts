// One access-log object in the store → its call-pattern summaries in the store, named after the
// object's key and ETag so that a duplicate S3 event or a retry rewrites the same summary objects.
import { createHash } from 'node:crypto';
import { parseAccessLogStream, type RejectedLine } from '../log/index.ts';
import { ObjectNotFoundError, type ObjectStore } from '../store/index.ts';
import { aggregateLogs } from './aggregate-logs.ts';
import { type OutputFile, summaryFiles } from './output-files.ts';

/** A log object as an S3 event names it. */
export interface LogObjectRef {
  key: string;
  /** The object's ETag (quotes optional); read with head when not given. */
  etag?: string;
}

export interface LogObjectSummary {
  key: string;
  etag: string;
  records: number;
  rejectedLines: number;
  /** The first rejections, in input order (at most MAX_KEPT_REJECTIONS). */
  rejections: RejectedLine[];
  /** Service ids (and resource configuration ids) seen in the object, sorted. */
  services: string[];
  /** The summary objects written, one per UTC hour present in the object. */
  summaryKeys: string[];
}

const NAME_HEX_CHARS = 32;

/**
 * The summary file name for a log object: 32 hex characters of sha256(key, ETag). A new version of
 * the object (new ETag) gets new summaries; the same version always the same ones.
 */
export function summaryNameOf(key: string, etag: string): string {
  // NUL separates the two so no other (key, etag) pair concatenates to the same text.
  return createHash('sha256')
    .update(`${key}\0${bareEtag(etag)}`)
    .digest('hex')
    .slice(0, NAME_HEX_CHARS);
}

function bareEtag(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

function resourceIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * Reads, decompresses (gzip or plain, by content), parses and aggregates one log object, entirely
 * in memory, then writes its summaries. Nothing is written unless the whole object was read:
 * a corrupt or truncated gzip object throws CorruptInputError and leaves the store as it was.
 * Rejected lines are counted and returned, not thrown. Throws ObjectNotFoundError when the object
 * is gone.
 */
export async function summarizeLogObject(
  store: ObjectStore,
  ref: LogObjectRef,
): Promise<LogObjectSummary> {
  const etag = bareEtag(ref.etag ?? (await headEtag(store, ref.key)));
  const aggregate = await aggregateLogs(parseAccessLogStream(store.getStream(ref.key), ref.key));
  const files: OutputFile[] = [...summaryFiles(aggregate.patterns, summaryNameOf(ref.key, etag))];
  for (const file of files) await store.put(file.key, file.body, file.contentType);
  return {
    key: ref.key,
    etag,
    records: aggregate.records,
    rejectedLines: aggregate.rejectedLines,
    rejections: aggregate.rejections,
    services: [...new Set(aggregate.patterns.map((p) => resourceIdOf(p.serviceArn)))].sort(),
    summaryKeys: files.map((file) => file.key),
  };
}

async function headEtag(store: ObjectStore, key: string): Promise<string> {
  const info = await store.head(key);
  if (info === undefined) throw new ObjectNotFoundError(key);
  return info.etag;
}
