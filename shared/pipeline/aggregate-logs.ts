// Parsed access-log lines in, hourly call patterns out, with every rejected line accounted for.
import { CompiledAggregator, isCompiledReadingAvailable } from '../compiled/index.ts';
import {
  type AccessLogVisitor,
  claimAccessLogScan,
  type FastAccessLogRecord,
  type ParsedLine,
  type RejectedLine,
} from '../log/index.ts';
import {
  type CallPattern,
  CallPatternBuilder,
  CallPatternTable,
  callPatternOf,
  mergeSortedPatterns,
  type PackedPatterns,
  unpackPatterns,
} from '../patterns/index.ts';

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

/**
 * Folds parsed lines into hourly call patterns. Lines straight from parseAccessLogStream or
 * readAccessLogs, not yet read, are read through the compiled reader and the fast parse path
 * instead (claimAccessLogScan): the same result, several times faster.
 */
export async function aggregateLogs(
  lines: AsyncIterable<ParsedLine>,
  options: AggregationOptions = {},
): Promise<AggregateResult> {
  const aggregation = new Aggregation(options);
  const scan = claimAccessLogScan(lines);
  if (scan === undefined) {
    for await (const line of lines) aggregation.parsedLine(line);
  } else {
    await scan(aggregation);
  }
  return { patterns: aggregation.patterns(), ...aggregation.takeTally() };
}

/** What one stretch of input added besides patterns: its counts and first rejections. */
export interface AggregateTally {
  records: number;
  rejectedLines: number;
  rejections: RejectedLine[];
}

export interface AggregationOptions {
  /**
   * Read lines with the compiled reader (shared/compiled/) where it can (default true, where the
   * runtime runs WebAssembly); false reads every line as text, the reference the compiled
   * reader is held to.
   */
  compiled?: boolean;
}

/**
 * The aggregation of one thread: patterns accumulate across everything it reads; the counts and
 * rejections are taken (takeTally) after each piece of input, so pieces can be put in order later.
 */
export class Aggregation implements AccessLogVisitor {
  readonly #table = new CallPatternTable();
  readonly #builder = new CallPatternBuilder(this.#table.ids);
  readonly byteReader: CompiledAggregator | undefined;
  /** The patterns sorted by sortForMerge, if it was called. */
  #sorted: CallPattern[] | undefined;
  /** Lines of the byte reader already counted in a tally. */
  #byteLinesTallied = 0;
  #records = 0;
  #rejectedLines = 0;
  #rejections: RejectedLine[] = [];

  constructor(options: AggregationOptions = {}) {
    this.byteReader =
      options.compiled === false || !isCompiledReadingAvailable()
        ? undefined
        : new CompiledAggregator(this.#table);
  }

  fastRecord(record: FastAccessLogRecord): void {
    this.#records++;
    const pattern = this.#builder.patternOf(record);
    this.#table.addKeyed(this.#builder.key, pattern);
  }

  parsedLine(line: ParsedLine): void {
    if (line.ok) {
      this.#records++;
      this.#table.add(callPatternOf(line.record));
    } else {
      this.#rejectedLines++;
      if (this.#rejections.length < MAX_KEPT_REJECTIONS) this.#rejections.push(line.rejected);
    }
  }

  /** The patterns so far, sorted by key and packed for another thread's patternsWith. */
  pack(): PackedPatterns {
    this.byteReader?.flush();
    return this.#table.packSorted();
  }

  /** The patterns so far, sorted by key. */
  patterns(): CallPattern[] {
    this.byteReader?.flush();
    return this.#table.toArray();
  }

  /**
   * Sorts the patterns now, when reading is done, for patternsWith: a thread can do it while it
   * waits for the others' patterns.
   */
  sortForMerge(): void {
    this.#sorted = this.patterns();
  }

  /**
   * The patterns so far with those other threads aggregated (`packed`, each from pack), sorted
   * by key. Each thread's list is sorted already, so they are merged in one pass rather than
   * hashed into one table and sorted again (unless a key string holds a NUL, which changes the
   * order). Call it once, at the end: it changes this aggregation's patterns.
   */
  patternsWith(packed: readonly PackedPatterns[]): CallPattern[] {
    const ids = this.#table.ids;
    if (ids.hasNul || packed.some((p) => p.strings.some((value) => value.includes('\u0000')))) {
      for (const p of packed) this.#table.addPacked(p);
      return this.patterns();
    }
    let merged = this.#sorted ?? this.patterns();
    for (const p of packed) {
      // Through this table's strings, so that equal key strings are one string again.
      const theirs = unpackPatterns(p, (value) => ids.valueOf(ids.idOf(value)));
      merged = mergeSortedPatterns(merged, theirs);
    }
    return merged;
  }

  /** The counts and rejections since the last call, which starts them again. */
  takeTally(): AggregateTally {
    const byteLines = this.byteReader?.lines ?? 0;
    const tally = {
      records: this.#records + byteLines - this.#byteLinesTallied,
      rejectedLines: this.#rejectedLines,
      rejections: this.#rejections,
    };
    this.#byteLinesTallied = byteLines;
    this.#records = 0;
    this.#rejectedLines = 0;
    this.#rejections = [];
    return tally;
  }
}
