// Parsed access-log lines in, hourly call patterns out, with every rejected line accounted for.
import type { ParsedLine, RejectedLine } from '../log/index.ts';
import { type CallPattern, callPatternOf, PatternSet } from '../patterns/index.ts';

/** Rejections kept verbatim for the report and stderr; the rest are only counted. */
export const MAX_KEPT_REJECTIONS = 100;

export interface AggregateResult {
  /** Hourly patterns sorted by key. */
  patterns: CallPattern[];
  records: number;
  rejectedLines: number;
  /** The first MAX_KEPT_REJECTIONS rejections, in input order. */
  rejections: RejectedLine[];
}

export async function aggregateLogs(lines: AsyncIterable<ParsedLine>): Promise<AggregateResult> {
  const set = new PatternSet();
  let records = 0;
  let rejectedLines = 0;
  const rejections: RejectedLine[] = [];
  for await (const line of lines) {
    if (line.ok) {
      records++;
      set.add(callPatternOf(line.record));
    } else {
      rejectedLines++;
      if (rejections.length < MAX_KEPT_REJECTIONS) rejections.push(line.rejected);
    }
  }
  return { patterns: set.toArray(), records, rejectedLines, rejections };
}
