// The Parquet form encodeSummary writes, read back by hyparquet page by page: row groups,
// dictionary and plain pages, UTF-8, lists, statistics.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { type ColumnChunk, type FileMetaData, parquetMetadata, snappyUncompress } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import type { PageHeader } from 'hyparquet/src/types.js';
import { describe, expect, it } from 'vitest';
import { decodeSummary, encodeSummary } from '../../../shared/columnar/index.ts';
import type { CallPattern } from '../../../shared/patterns/types.ts';
import {
  basePattern,
  HOUR_START,
  manyPatterns,
  sortedCanonically,
  wellFormed,
  withShuffled,
} from './summary-fixtures.ts';

function metadataOf(bytes: Uint8Array): FileMetaData {
  return parquetMetadata(new Uint8Array(bytes).buffer);
}

function chunkOf(metadata: FileMetaData, path: string, rowGroup = 0): ColumnChunk {
  const chunk = metadata.row_groups[rowGroup]?.columns.find(
    (candidate) => candidate.meta_data?.path_in_schema.join('.') === path,
  );
  if (!chunk) throw new Error(`no column chunk ${path} in row group ${rowGroup}`);
  return chunk;
}

interface Page {
  header: PageHeader;
  /** The page after SNAPPY decompression. */
  body: Uint8Array;
}

function pagesOf(bytes: Uint8Array, chunk: ColumnChunk): Page[] {
  const meta = chunk.meta_data;
  if (!meta) throw new Error('column chunk without metadata');
  const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
  const end = start + Number(meta.total_compressed_size);
  const reader = {
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    offset: start,
  };
  const pages: Page[] = [];
  while (reader.offset < end) {
    const header = parquetHeader(reader);
    const body = new Uint8Array(header.uncompressed_page_size);
    snappyUncompress(
      bytes.subarray(reader.offset, reader.offset + header.compressed_page_size),
      body,
    );
    pages.push({ header, body });
    reader.offset += header.compressed_page_size;
  }
  return pages;
}

/** Patterns whose callerPrincipal takes `distinct` values, each repeated (so worth a dictionary). */
function patternsWithPrincipals(distinct: number): CallPattern[] {
  return Array.from({ length: 8 * distinct }, (_, i) => ({
    ...basePattern,
    callerPrincipal: `arn:aws:iam::444455556666:role/caller-${String(i % distinct).padStart(3, '0')}`,
    firstSeen: HOUR_START + i,
  }));
}

describe('encodeSummary row groups', () => {
  const rowCount = 200_001;
  const patterns = manyPatterns(rowCount);
  const bytes = encodeSummary(patterns);

  it('splits 200,001 rows into row groups of 100,000, 100,000 and 1', () => {
    const metadata = metadataOf(bytes);
    expect(metadata.num_rows).toBe(BigInt(rowCount));
    expect(metadata.row_groups.map((group) => group.num_rows)).toEqual([100_000n, 100_000n, 1n]);
  });

  it('gives back every row, in order, across the row groups', async () => {
    const decoded = await decodeSummary(bytes);
    expect(decoded.length).toBe(rowCount);
    // Row by row: one toEqual over 200,001 objects takes minutes to diff when it fails.
    const differing = decoded.findIndex((pattern, i) => !isDeepStrictEqual(pattern, patterns[i]));
    expect(differing).toBe(-1);
  });

  it('records min and max of firstSeen and lastSeen for each row group', () => {
    const metadata = metadataOf(bytes);
    for (const [group, start] of [0, 100_000, 200_000].entries()) {
      const rows = patterns.slice(start, start + 100_000);
      for (const name of ['firstSeen', 'lastSeen'] as const) {
        const statistics = chunkOf(metadata, name, group).meta_data?.statistics;
        const values = rows.map((pattern) => pattern[name]);
        expect(statistics?.min_value).toEqual(new Date(Math.min(...values)));
        expect(statistics?.max_value).toEqual(new Date(Math.max(...values)));
        expect(statistics?.null_count).toBe(0n);
      }
    }
  });

  it('records min and max of counters, 0 and 2^53-1 included', () => {
    const metadata = metadataOf(bytes);
    const lastGroup = chunkOf(metadata, 'bytesSent', 2).meta_data?.statistics;
    expect(lastGroup).toMatchObject({
      min_value: BigInt(Number.MAX_SAFE_INTEGER),
      max_value: BigInt(Number.MAX_SAFE_INTEGER),
    });
    const status1xx = chunkOf(metadata, 'status1xx').meta_data?.statistics;
    expect(status1xx).toMatchObject({ min_value: 0n, max_value: 0n });
  });

  it('lays out each chunk as its metadata says: offsets, sizes and value counts', () => {
    const metadata = metadataOf(bytes);
    let offset = 4; // after the PAR1 magic
    for (const group of metadata.row_groups) {
      expect(group.file_offset).toBe(BigInt(offset));
      for (const chunk of group.columns) {
        const meta = chunk.meta_data;
        if (!meta) throw new Error('column chunk without metadata');
        expect(meta.dictionary_page_offset ?? meta.data_page_offset).toBe(BigInt(offset));
        const pages = pagesOf(bytes, chunk);
        const dataPages = pages.filter((page) => page.header.type === 'DATA_PAGE');
        expect(dataPages.map((page) => page.header.data_page_header?.num_values)).toEqual([
          Number(meta.num_values),
        ]);
        offset += Number(meta.total_compressed_size);
      }
      expect(group.total_compressed_size).toBe(
        group.columns.reduce(
          (sum, chunk) => sum + (chunk.meta_data?.total_compressed_size ?? 0n),
          0n,
        ),
      );
    }
  });
});

describe('encodeSummary string columns', () => {
  it.each([
    [1, 1],
    [3, 2],
    [300, 9],
  ])('dictionary-encodes %i repeated values with %i-bit indexes', async (distinct, bitWidth) => {
    const patterns = patternsWithPrincipals(distinct);
    const bytes = encodeSummary(patterns);
    const chunk = chunkOf(metadataOf(bytes), 'callerPrincipal');
    expect(chunk.meta_data?.encodings).toContain('RLE_DICTIONARY');
    const [dictionaryPage, dataPage, ...rest] = pagesOf(bytes, chunk);
    expect(rest).toEqual([]);
    expect(dictionaryPage?.header).toMatchObject({
      type: 'DICTIONARY_PAGE',
      dictionary_page_header: { num_values: distinct, encoding: 'PLAIN' },
    });
    expect(dataPage?.header.data_page_header?.encoding).toBe('RLE_DICTIONARY');
    expect(dataPage?.body[0]).toBe(bitWidth);
    expect(sortedCanonically(await decodeSummary(bytes))).toEqual(sortedCanonically(patterns));
  });

  it('writes nearly unique strings as PLAIN pages, without a dictionary', async () => {
    const patterns = manyPatterns(500);
    const bytes = encodeSummary(patterns);
    const chunk = chunkOf(metadataOf(bytes), 'pathTemplate');
    expect(chunk.meta_data?.dictionary_page_offset).toBeUndefined();
    expect(pagesOf(bytes, chunk).map((page) => page.header.data_page_header?.encoding)).toEqual([
      'PLAIN',
    ]);
    expect(await decodeSummary(bytes)).toEqual(patterns);
  });

  it('keeps non-ASCII text and turns lone surrogates into U+FFFD, in dictionary and plain pages', async () => {
    const texts = ['zé', '商品', '🚀', 'a\uD800b', '\uDC00', 'end\uD83D', '\uD83D\uDE00ok'];
    const patterns = texts.flatMap((text, i) =>
      // Repeated principals go to a dictionary; paths are unique, so plain.
      Array.from({ length: 4 }, (_, copy) => ({
        ...basePattern,
        callerPrincipal: `role/${text}`,
        pathTemplate: `/${text}/${i}-${copy}`,
        examplePaths: [text, `${text}${copy}`],
        firstSeen: HOUR_START + 10 * i + copy,
      })),
    );
    const bytes = encodeSummary(patterns);
    const metadata = metadataOf(bytes);
    expect(chunkOf(metadata, 'callerPrincipal').meta_data?.dictionary_page_offset).toBeDefined();
    expect(chunkOf(metadata, 'pathTemplate').meta_data?.dictionary_page_offset).toBeUndefined();
    const expected = patterns.map((pattern) => ({
      ...pattern,
      callerPrincipal: wellFormed(pattern.callerPrincipal),
      pathTemplate: wellFormed(pattern.pathTemplate),
      examplePaths: pattern.examplePaths.map(wellFormed),
    }));
    expect(sortedCanonically(await decodeSummary(bytes))).toEqual(sortedCanonically(expected));
  });

  it('records string min and max in UTF-8 byte order, not UTF-16 order', () => {
    // UTF-16 puts 😀 (a surrogate pair, 0xD83D…) before U+FFFF; UTF-8 bytes put it after.
    for (const repeats of [1, 8]) {
      const patterns = ['z', '\uFFFF', '😀', 'a'].flatMap((callerPrincipal, i) =>
        Array.from({ length: repeats }, (_, copy) => ({
          ...basePattern,
          callerPrincipal,
          firstSeen: HOUR_START + 10 * i + copy,
        })),
      );
      const statistics = chunkOf(metadataOf(encodeSummary(patterns)), 'callerPrincipal').meta_data
        ?.statistics;
      expect(statistics).toMatchObject({ min_value: 'a', max_value: '😀', null_count: 0n });
    }
  });
});

describe('encodeSummary integer columns', () => {
  it('dictionary-encodes counters with few distinct values and keeps unique ones PLAIN', async () => {
    const patterns = manyPatterns(1000);
    const bytes = encodeSummary(patterns);
    const metadata = metadataOf(bytes);
    const encodingOf = (name: string) =>
      pagesOf(bytes, chunkOf(metadata, name)).map((page) =>
        page.header.type === 'DATA_PAGE'
          ? page.header.data_page_header?.encoding
          : page.header.type,
      );
    expect(encodingOf('status1xx')).toEqual(['DICTIONARY_PAGE', 'RLE_DICTIONARY']);
    expect(encodingOf('requests')).toEqual(['DICTIONARY_PAGE', 'RLE_DICTIONARY']);
    expect(encodingOf('firstSeen')).toEqual(['PLAIN']);
    expect(encodingOf('bytesSent')).toEqual(['PLAIN']);
    expect(await decodeSummary(bytes)).toEqual(patterns);
  });

  it('keeps 0, 2^53-1 and times before 1970 in dictionary pages too', async () => {
    const early = Date.UTC(1969, 11, 31, 23, 0, 0, 1);
    const patterns = Array.from({ length: 40 }, (_, i) => ({
      ...basePattern,
      hour: i % 2 === 0 ? basePattern.hour : '1969-12-31T23',
      firstSeen: i % 2 === 0 ? basePattern.firstSeen : early,
      lastSeen: i % 2 === 0 ? basePattern.lastSeen : early,
      requests: i % 4 < 2 ? 0 : Number.MAX_SAFE_INTEGER,
      bytesSent: 2 ** 32 + (i % 2),
    }));
    const bytes = encodeSummary(patterns);
    expect(chunkOf(metadataOf(bytes), 'firstSeen').meta_data?.dictionary_page_offset).toBeDefined();
    expect(sortedCanonically(await decodeSummary(bytes))).toEqual(sortedCanonically(patterns));
  });
});

describe('encodeSummary list columns', () => {
  it('keeps empty, one-element and many-element lists, and empty strings in them', async () => {
    const lists = [
      [],
      [''],
      ['/a'],
      ['/a', '/b', '/c'],
      Array.from({ length: 20 }, (_, i) => `/p${i}`),
      ['', ''],
    ];
    const patterns = lists.flatMap((examplePaths, i) =>
      lists.map((sessionNames, j) => ({
        ...basePattern,
        examplePaths,
        sessionNames,
        firstSeen: HOUR_START + 100 * i + j,
      })),
    );
    const bytes = encodeSummary(patterns);
    expect(sortedCanonically(await decodeSummary(bytes))).toEqual(sortedCanonically(patterns));
  });

  it('counts one level entry per element and one per empty list', () => {
    const patterns = [[], ['/a', '/b'], [], ['/c']].map((examplePaths, i) => ({
      ...basePattern,
      examplePaths,
      firstSeen: HOUR_START + i,
    }));
    const chunk = chunkOf(metadataOf(encodeSummary(patterns)), 'examplePaths.list.element');
    expect(chunk.meta_data?.num_values).toBe(5n);
  });
});

describe('encodeSummary file', () => {
  it('writes DataPage V1 pages, SNAPPY, lattice-lens as created_by and a type order per column', () => {
    const bytes = encodeSummary(manyPatterns(50));
    const metadata = metadataOf(bytes);
    expect(metadata.created_by).toBe('lattice-lens');
    const chunks = metadata.row_groups.flatMap((group) => group.columns);
    const pageTypes = new Set(
      chunks.flatMap((chunk) => pagesOf(bytes, chunk).map((page) => page.header.type)),
    );
    expect(pageTypes).toEqual(new Set(['DICTIONARY_PAGE', 'DATA_PAGE']));
    expect(new Set(chunks.map((chunk) => chunk.meta_data?.codec))).toEqual(new Set(['SNAPPY']));
  });
});

// Few distinct values per column, so that files have dictionaries, RLE runs and bit-packed
// indexes, with non-ASCII text and lone surrogates among them.
const pooledText = fc.constantFrom(
  '',
  'a',
  'service',
  'zé',
  '商品',
  '🚀',
  'a\uD800',
  '\uDC00b',
  'x'.repeat(70),
);
const pooledCounter = fc.constantFrom(0, 1, 7, 2 ** 32, Number.MAX_SAFE_INTEGER);
const pooledPattern: fc.Arbitrary<CallPattern> = fc
  .record({
    recordKind: fc.constantFrom<CallPattern['recordKind']>('service', 'resource'),
    callerPrincipal: pooledText,
    callerKind: fc.constantFrom<CallPattern['callerKind']>('role', 'anonymous'),
    pathTemplate: pooledText,
    sourceVpcId: pooledText,
    requests: pooledCounter,
    status4xx: pooledCounter,
    bytesSent: fc.oneof(pooledCounter, fc.maxSafeNat()),
    firstSeen: fc.integer({ min: HOUR_START, max: HOUR_START + 3_599_999 }),
    examplePaths: fc.array(pooledText, { maxLength: 3 }),
    sessionNames: fc.array(pooledText, { maxLength: 2 }),
  })
  .map((fields) => ({ ...basePattern, ...fields, lastSeen: fields.firstSeen }));

function wellFormedPattern(pattern: CallPattern): CallPattern {
  return {
    ...pattern,
    callerPrincipal: wellFormed(pattern.callerPrincipal),
    pathTemplate: wellFormed(pattern.pathTemplate),
    sourceVpcId: wellFormed(pattern.sourceVpcId),
    examplePaths: pattern.examplePaths.map(wellFormed),
    sessionNames: pattern.sessionNames.map(wellFormed),
  };
}

describe('encodeSummary and decodeSummary on repetitive patterns', () => {
  const patterns = fc.array(pooledPattern, { maxLength: 300 });

  it('give back the patterns, lone surrogates as U+FFFD', async () => {
    await fc.assert(
      fc.asyncProperty(patterns, async (input) => {
        const decoded = await decodeSummary(encodeSummary(input));
        expect(sortedCanonically(decoded)).toEqual(sortedCanonically(input.map(wellFormedPattern)));
      }),
      { numRuns: 50 },
    );
  });

  it('write the same bytes in any input order', () => {
    const inputAndShuffle = withShuffled(patterns);
    fc.assert(
      fc.property(inputAndShuffle, ([input, shuffled]) => {
        expect(Buffer.from(encodeSummary(shuffled)).equals(encodeSummary(input))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
