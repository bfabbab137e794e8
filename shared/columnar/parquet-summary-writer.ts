// Writes summary rows as Parquet in the one fixed summary schema. Knowing every column's type up
// front makes it several times faster than a general writer (hyparquet-writer), while keeping to
// features every reader has (DuckDB, Athena/Trino, Spark, hyparquet): DataPage V1 pages, each
// column chunk one PLAIN data page or a PLAIN dictionary page and one RLE_DICTIONARY data page,
// SNAPPY-compressed.
import {
  CompressionCodecs,
  ConvertedTypes,
  Encodings,
  FieldRepetitionTypes,
  PageTypes,
  ParquetTypes,
} from 'hyparquet/src/constants.js';
import { ByteSink } from './byte-sink.ts';
import { bitWidthFor, writeRleBitPackedHybrid } from './rle-bit-packed-hybrid.ts';
import { SUMMARY_COLUMNS, SUMMARY_PARQUET_SCHEMA, type SummaryColumn } from './schema.ts';
import { maxCompressedLength, snappyCompress } from './snappy-compress.ts';
import { ThriftCompactWriter } from './thrift-compact-writer.ts';

/** One column's values by row, for the column of SUMMARY_COLUMNS at the same index. */
export type SummaryColumnValues =
  | { kind: 'string'; values: readonly string[] }
  | { kind: 'integer'; values: Float64Array }
  | { kind: 'list'; values: readonly (readonly string[])[] };

export interface SummaryRows {
  /** In SUMMARY_COLUMNS order; integers must be safe integers. */
  columns: readonly SummaryColumnValues[];
  rowCount: number;
  /** The file's k-th row is row order[k]; rows in their given order when undefined. */
  order: Uint32Array | undefined;
  rowGroupRows: number;
}

const utf8 = new TextEncoder();
const MAGIC = utf8.encode('PAR1');
const CREATED_BY = utf8.encode('lattice-lens');
// Version 2: the data pages use RLE_DICTIONARY, a format 2.0 encoding.
const FORMAT_VERSION = 2;

const INT64 = ParquetTypes.indexOf('INT64');
const BYTE_ARRAY = ParquetTypes.indexOf('BYTE_ARRAY');
const PLAIN = Encodings.indexOf('PLAIN');
const RLE = Encodings.indexOf('RLE');
const RLE_DICTIONARY = Encodings.indexOf('RLE_DICTIONARY');
const DATA_PAGE = PageTypes.indexOf('DATA_PAGE');
const DICTIONARY_PAGE = PageTypes.indexOf('DICTIONARY_PAGE');
const SNAPPY = CompressionCodecs.indexOf('SNAPPY');

// parquet-mr leaves out min/max larger than this rather than bloat the footer.
const MAX_STATISTICS_BYTES = 4096;
// Keeps dictionary indexes within the 24 bits the hybrid encoder packs.
const MAX_DICTIONARY_ENTRIES = 1 << 20;
const TWO_TO_32 = 4_294_967_296;

interface LeafColumn {
  column: SummaryColumn;
  /** path_in_schema, each name as UTF-8. */
  path: readonly Uint8Array[];
  physicalType: number;
}

/** The leaf columns of SUMMARY_PARQUET_SCHEMA, one per summary column, in file order. */
const LEAVES: readonly LeafColumn[] = leafColumns();

function leafColumns(): LeafColumn[] {
  const [root, ...elements] = SUMMARY_PARQUET_SCHEMA;
  const leaves: LeafColumn[] = [];
  const path: string[] = [];
  const childrenLeft: number[] = [root?.num_children ?? 0];
  for (const element of elements) {
    while (childrenLeft.at(-1) === 0) {
      childrenLeft.pop();
      path.pop();
    }
    childrenLeft[childrenLeft.length - 1] = (childrenLeft.at(-1) as number) - 1;
    if (element.num_children) {
      path.push(element.name);
      childrenLeft.push(element.num_children);
      continue;
    }
    const column = SUMMARY_COLUMNS[leaves.length];
    const physicalType = ParquetTypes.indexOf(element.type ?? 'BOOLEAN');
    const expectedType =
      column?.type === 'bigint' || column?.type === 'timestamp' ? INT64 : BYTE_ARRAY;
    if (
      column === undefined ||
      (path[0] ?? element.name) !== column.name ||
      physicalType !== expectedType
    ) {
      throw new Error(`summary schema leaf ${element.name} does not match the summary columns`);
    }
    const names = [...path, element.name].map((name) => utf8.encode(name));
    leaves.push({ column, path: names, physicalType });
  }
  if (leaves.length !== SUMMARY_COLUMNS.length) {
    throw new Error('summary schema has fewer leaves than summary columns');
  }
  return leaves;
}

interface Statistics {
  min: Uint8Array | undefined;
  max: Uint8Array | undefined;
  nullCount: number | undefined;
}

interface ColumnChunkMetadata {
  leaf: LeafColumn;
  numValues: number;
  uncompressedSize: number;
  compressedSize: number;
  fileOffset: number;
  dataPageOffset: number;
  /** Set when the chunk starts with a dictionary page and its data page is RLE_DICTIONARY. */
  dictionaryPageOffset: number | undefined;
  statistics: Statistics;
}

interface RowGroupMetadata {
  columns: ColumnChunkMetadata[];
  numRows: number;
}

/** Encodes `rows` as a complete Parquet file (SNAPPY pages, rowGroupRows rows per row group). */
export function writeSummaryParquet(rows: SummaryRows): Uint8Array {
  try {
    const writer = new SummaryFileWriter();
    const all = rows.order ?? scratch.identity(rows.rowCount);
    const rowGroups: RowGroupMetadata[] = [];
    for (let start = 0; start < rows.rowCount; start += rows.rowGroupRows) {
      const groupRows = all.subarray(start, Math.min(rows.rowCount, start + rows.rowGroupRows));
      const columns = LEAVES.map((leaf, k) =>
        writer.writeColumnChunk(leaf, rows.columns[k] as SummaryColumnValues, groupRows),
      );
      rowGroups.push({ columns, numRows: groupRows.length });
    }
    return writer.finish(rowGroups, rows.rowCount);
  } finally {
    scratch.trim();
  }
}

// Buffers reused from one summary to the next instead of allocated for each of the hundreds of
// hourly summaries a run writes, which showed up as garbage collection. Writing is synchronous,
// so one set serves every call; a large summary's buffers are dropped afterwards, not kept.
class Scratch {
  /** The file being written; the result is a copy of it. */
  file = new ByteSink(SCRATCH_START_BYTES);
  body = new ByteSink(SCRATCH_START_BYTES);
  compressed = new Uint8Array(SCRATCH_START_BYTES);
  indexes = new Int32Array(SCRATCH_START_BYTES / 4);
  repetition = new Int32Array(SCRATCH_START_BYTES / 4);
  definition = new Int32Array(SCRATCH_START_BYTES / 4);
  hashKeys = new Float64Array(SCRATCH_START_BYTES / 8);
  hashSlots = new Int32Array(SCRATCH_START_BYTES / 8);
  private identityRows = new Uint32Array(0);

  /** The rows 0, 1, …, count - 1. */
  identity(count: number): Uint32Array {
    if (this.identityRows.length < count) {
      this.identityRows = new Uint32Array(Math.max(count, 2 * this.identityRows.length));
      for (let i = 0; i < this.identityRows.length; i++) this.identityRows[i] = i;
    }
    return this.identityRows.subarray(0, count);
  }

  trim(): void {
    if (this.file.bytes.length > SCRATCH_KEEP_BYTES) this.file = new ByteSink(SCRATCH_START_BYTES);
    if (this.body.bytes.length > SCRATCH_KEEP_BYTES) this.body = new ByteSink(SCRATCH_START_BYTES);
    if (this.compressed.length > SCRATCH_KEEP_BYTES) {
      this.compressed = new Uint8Array(SCRATCH_START_BYTES);
    }
    if (this.indexes.byteLength > SCRATCH_KEEP_BYTES) this.indexes = new Int32Array(1024);
    if (this.repetition.byteLength > SCRATCH_KEEP_BYTES) {
      this.repetition = new Int32Array(1024);
      this.definition = new Int32Array(1024);
    }
    if (this.hashKeys.byteLength > SCRATCH_KEEP_BYTES) {
      this.hashKeys = new Float64Array(1024);
      this.hashSlots = new Int32Array(1024);
    }
    if (this.identityRows.byteLength > SCRATCH_KEEP_BYTES) this.identityRows = new Uint32Array(0);
  }
}

const SCRATCH_START_BYTES = 1 << 16;
const SCRATCH_KEEP_BYTES = 1 << 22;
const scratch = new Scratch();

class SummaryFileWriter {
  private readonly file = scratch.file;

  constructor() {
    this.file.length = 0;
    this.file.append(MAGIC);
  }

  writeColumnChunk(
    leaf: LeafColumn,
    values: SummaryColumnValues,
    rows: Uint32Array,
  ): ColumnChunkMetadata {
    switch (values.kind) {
      case 'integer':
        return this.writeInt64Chunk(leaf, values.values, rows);
      case 'string':
        return this.writeStringChunk(leaf, values.values, rows, undefined);
      case 'list': {
        const { elements, levels } = flattenLists(values.values, rows);
        return this.writeStringChunk(leaf, elements, scratch.identity(elements.length), levels);
      }
    }
  }

  private writeInt64Chunk(
    leaf: LeafColumn,
    values: Float64Array,
    rows: Uint32Array,
  ): ColumnChunkMetadata {
    const count = rows.length;
    const start = this.file.length;
    const body = scratch.body;
    const dictionary = int64Dictionary(values, rows);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let uncompressedSize = 0;
    let dataPageOffset = start;
    body.length = 0;
    if (dictionary) {
      for (const value of dictionary) {
        if (value < min) min = value;
        if (value > max) max = value;
      }
      appendPlainInt64(body, dictionary, scratch.identity(dictionary.length));
      uncompressedSize += this.writePage(DICTIONARY_PAGE, dictionary.length, PLAIN);
      dataPageOffset = this.file.length;
      body.length = 0;
      appendDictionaryIndexes(body, count, dictionary.length);
    } else {
      ({ min, max } = appendPlainInt64(body, values, rows));
    }
    uncompressedSize += this.writePage(DATA_PAGE, count, dictionary ? RLE_DICTIONARY : PLAIN);
    return {
      leaf,
      numValues: count,
      uncompressedSize,
      compressedSize: this.file.length - start,
      fileOffset: start,
      dataPageOffset,
      dictionaryPageOffset: dictionary ? start : undefined,
      statistics: {
        min: count > 0 ? int64Bytes(min) : undefined,
        max: count > 0 ? int64Bytes(max) : undefined,
        nullCount: 0,
      },
    };
  }

  /** A string column, or a list column's elements with the list levels. */
  private writeStringChunk(
    leaf: LeafColumn,
    values: readonly string[],
    rows: Uint32Array,
    levels: ListLevels | undefined,
  ): ColumnChunkMetadata {
    const count = rows.length;
    const levelCount = levels?.count ?? count;
    const start = this.file.length;
    const body = scratch.body;
    const dictionary = stringDictionary(values, rows);
    let uncompressedSize = 0;
    let dataPageOffset = start;
    let bounds: { min: Uint8Array | undefined; max: Uint8Array | undefined };
    body.length = 0;
    if (dictionary) {
      bounds = appendPlainStrings(body, dictionary, scratch.identity(dictionary.length));
      uncompressedSize += this.writePage(DICTIONARY_PAGE, dictionary.length, PLAIN);
      dataPageOffset = this.file.length;
      body.length = 0;
      if (levels) writeLevels(body, levels);
      appendDictionaryIndexes(body, count, dictionary.length);
    } else {
      if (levels) writeLevels(body, levels);
      bounds = appendPlainStrings(body, values, rows);
    }
    uncompressedSize += this.writePage(DATA_PAGE, levelCount, dictionary ? RLE_DICTIONARY : PLAIN);
    return {
      leaf,
      numValues: levelCount,
      uncompressedSize,
      compressedSize: this.file.length - start,
      fileOffset: start,
      dataPageOffset,
      dictionaryPageOffset: dictionary ? start : undefined,
      // Empty lists are entries without a value: leave null_count out rather than argue it.
      statistics: { ...bounds, nullCount: levels ? undefined : 0 },
    };
  }

  /**
   * Compresses the page body built in scratch.body and appends it with its header.
   * @returns the page's uncompressed size, header included, as ColumnMetaData counts it.
   */
  private writePage(pageType: number, numValues: number, encoding: number): number {
    const body = scratch.body;
    const bound = maxCompressedLength(body.length);
    if (scratch.compressed.length < bound) scratch.compressed = new Uint8Array(bound * 2);
    const compressed = scratch.compressed;
    const compressedLength = snappyCompress(body.bytes.subarray(0, body.length), compressed, 0);

    const file = this.file;
    const headerStart = file.length;
    const header = new ThriftCompactWriter(file);
    header.i32(1, pageType);
    header.i32(2, body.length);
    header.i32(3, compressedLength);
    if (pageType === DICTIONARY_PAGE) {
      header.structBegin(7);
      header.i32(1, numValues);
      header.i32(2, encoding);
      header.structEnd();
    } else {
      header.structBegin(5);
      header.i32(1, numValues);
      header.i32(2, encoding);
      header.i32(3, RLE); // definition levels
      header.i32(4, RLE); // repetition levels
      header.structEnd();
    }
    header.end();
    const headerLength = file.length - headerStart;
    file.append(compressed.subarray(0, compressedLength));
    return headerLength + body.length;
  }

  finish(rowGroups: readonly RowGroupMetadata[], rowCount: number): Uint8Array {
    const file = this.file;
    const metadataStart = file.length;
    writeFileMetadata(new ThriftCompactWriter(file), rowGroups, rowCount);
    file.uint32(file.length - metadataStart);
    file.append(MAGIC);
    return file.bytes.slice(0, file.length);
  }
}

// A dictionary is used when it takes at most half the bytes of the plain values (indexes
// included). Nearly unique columns (paths, timestamps, byte counts) stay PLAIN: a dictionary
// would not shrink them and costs a hash insert per value. The budget also stops the build early.
function dictionaryBudget(plainBytes: number): number {
  return plainBytes / 2;
}

// After the first eighth of the values (at least 64), a dictionary still holding more than 7/8
// of them is given up: nearly unique columns would otherwise fail the budget only after half
// their values, a hash insert each. Sorted or repeating columns are far below 7/8 by then.
function uniqueCheckAt(count: number): number {
  return Math.max(64, Math.ceil(count / 8));
}

function isNearlyUnique(distinct: number, seen: number): boolean {
  return distinct * 8 > seen * 7;
}

/**
 * The distinct values of values[rows[k]] in order of first appearance, with each row's index
 * in scratch.indexes; undefined when the dictionary would not pay for itself.
 */
function stringDictionary(values: readonly string[], rows: Uint32Array): string[] | undefined {
  const count = rows.length;
  if (count === 0) return undefined;
  let plainBytes = 4 * count;
  for (let k = 0; k < count; k++) plainBytes += (values[rows[k] as number] as string).length;
  const budget = dictionaryBudget(plainBytes);
  if (scratch.indexes.length < count) scratch.indexes = new Int32Array(count);
  const indexes = scratch.indexes;
  const dictionary: string[] = [];
  const positions = new Map<string, number>();
  let dictionaryBytes = 0;
  // Sorted rows often repeat the previous value, and comparing with it is cheaper than hashing.
  let previous: string | undefined;
  let previousIndex = -1;
  const checkAt = uniqueCheckAt(count);
  for (let k = 0; k < count; k++) {
    if (k === checkAt && isNearlyUnique(dictionary.length, k)) return undefined;
    const value = values[rows[k] as number] as string;
    if (value === previous) {
      indexes[k] = previousIndex;
      continue;
    }
    let index = positions.get(value);
    if (index === undefined) {
      dictionaryBytes += 4 + value.length;
      if (dictionaryBytes > budget || dictionary.length === MAX_DICTIONARY_ENTRIES)
        return undefined;
      index = dictionary.length;
      positions.set(value, index);
      dictionary.push(value);
    }
    indexes[k] = index;
    previous = value;
    previousIndex = index;
  }
  const indexBytes = (count * bitWidthFor(dictionary.length)) / 8;
  return dictionaryBytes + indexBytes <= budget ? dictionary : undefined;
}

/** As stringDictionary, for INT64 values, with an open-addressing table over Float64 keys. */
function int64Dictionary(values: Float64Array, rows: Uint32Array): number[] | undefined {
  const count = rows.length;
  if (count === 0) return undefined;
  const budget = dictionaryBudget(8 * count);
  const maxEntries = Math.min(MAX_DICTIONARY_ENTRIES, Math.floor(budget / 8));
  let capacity = 16;
  while (capacity < 2 * maxEntries) capacity *= 2;
  if (scratch.hashSlots.length < capacity) {
    scratch.hashSlots = new Int32Array(capacity);
    scratch.hashKeys = new Float64Array(capacity);
  }
  const slots = scratch.hashSlots;
  const keys = scratch.hashKeys;
  slots.fill(0, 0, capacity);
  const mask = capacity - 1;
  if (scratch.indexes.length < count) scratch.indexes = new Int32Array(count);
  const indexes = scratch.indexes;
  const dictionary: number[] = [];
  let previous = Number.NaN;
  let previousIndex = -1;
  const checkAt = uniqueCheckAt(count);
  for (let k = 0; k < count; k++) {
    if (k === checkAt && isNearlyUnique(dictionary.length, k)) return undefined;
    const value = values[rows[k] as number] as number;
    if (value === previous) {
      indexes[k] = previousIndex;
      continue;
    }
    // Mixes both 32-bit halves: counters differ in the low bits, timestamps in both.
    let slot = Math.imul((value | 0) ^ ((value / TWO_TO_32) | 0), 0x9e3779b1) & mask;
    let entry = slots[slot] as number;
    while (entry !== 0 && keys[slot] !== value) {
      slot = (slot + 1) & mask;
      entry = slots[slot] as number;
    }
    if (entry === 0) {
      if (dictionary.length === maxEntries) return undefined;
      dictionary.push(value);
      entry = dictionary.length;
      slots[slot] = entry;
      keys[slot] = value;
    }
    indexes[k] = entry - 1;
    previous = value;
    previousIndex = entry - 1;
  }
  const indexBytes = (count * bitWidthFor(dictionary.length)) / 8;
  return 8 * dictionary.length + indexBytes <= budget ? dictionary : undefined;
}

// RLE_DICTIONARY data: the bit width in one byte, then the hybrid-encoded scratch.indexes.
function appendDictionaryIndexes(body: ByteSink, count: number, dictionarySize: number): void {
  const bitWidth = bitWidthFor(dictionarySize);
  body.byte(bitWidth);
  writeRleBitPackedHybrid(body, scratch.indexes, count, bitWidth);
}

/**
 * Appends values[rows[k]] as PLAIN INT64 (8 bytes little-endian).
 * @returns their min and max.
 */
function appendPlainInt64(
  body: ByteSink,
  values: ArrayLike<number>,
  rows: Uint32Array,
): { min: number; max: number } {
  const count = rows.length;
  const start = body.length;
  const bytes = body.reserve(count * 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * 8);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < count; k++) {
    const value = values[rows[k] as number] as number;
    if (value < min) min = value;
    if (value > max) max = value;
    // Two 32-bit halves: setBigInt64 would need a BigInt per value.
    const high = Math.floor(value / TWO_TO_32);
    view.setUint32(8 * k, value - high * TWO_TO_32, true);
    view.setInt32(8 * k + 4, high, true);
  }
  body.length = start + count * 8;
  return { min, max };
}

interface ListLevels {
  repetition: Int32Array;
  definition: Int32Array;
  count: number;
}

// The standard 3-level LIST, REQUIRED outside and inside: an empty list is one entry at
// definition level 0, each element an entry at level 1; repetition level 0 starts a row.
function flattenLists(
  lists: readonly (readonly string[])[],
  rows: Uint32Array,
): { elements: string[]; levels: ListLevels } {
  let count = 0;
  let elementCount = 0;
  for (let k = 0; k < rows.length; k++) {
    const length = (lists[rows[k] as number] as readonly string[]).length;
    elementCount += length;
    count += length === 0 ? 1 : length;
  }
  if (scratch.repetition.length < count) {
    scratch.repetition = new Int32Array(count);
    scratch.definition = new Int32Array(count);
  }
  const { repetition, definition } = scratch;
  const elements = new Array<string>(elementCount);
  let at = 0;
  let element = 0;
  for (let k = 0; k < rows.length; k++) {
    const list = lists[rows[k] as number] as readonly string[];
    if (list.length === 0) {
      repetition[at] = 0;
      definition[at] = 0;
      at++;
      continue;
    }
    for (let j = 0; j < list.length; j++) {
      repetition[at] = j === 0 ? 0 : 1;
      definition[at] = 1;
      elements[element++] = list[j] as string;
      at++;
    }
  }
  return { elements, levels: { repetition, definition, count } };
}

// DataPage V1: repetition then definition levels, each prefixed by its byte length.
function writeLevels(body: ByteSink, levels: ListLevels): void {
  for (const values of [levels.repetition, levels.definition]) {
    const lengthAt = body.length;
    body.uint32(0);
    writeRleBitPackedHybrid(body, values, levels.count, 1);
    body.setUint32(lengthAt, body.length - lengthAt - 4);
  }
}

/**
 * Appends values[rows[k]] as PLAIN byte arrays (4-byte length, UTF-8 bytes).
 * @returns their min and max in unsigned byte order, the order Parquet defines for UTF8.
 */
function appendPlainStrings(
  body: ByteSink,
  values: readonly string[],
  rows: Uint32Array,
): { min: Uint8Array | undefined; max: Uint8Array | undefined } {
  const count = rows.length;
  if (count === 0) return { min: undefined, max: undefined };
  const valuesStart = body.length;
  let isAscii = true;
  let min = values[rows[0] as number] as string;
  let max = min;
  let minAt = valuesStart;
  let maxAt = valuesStart;
  for (let k = 0; k < count; k++) {
    const value = values[rows[k] as number] as string;
    const lengthAt = body.length;
    body.length += 4;
    const length = body.utf8(value);
    body.setUint32(lengthAt, length);
    if (length !== value.length) isAscii = false;
    // For ASCII, JavaScript's UTF-16 order is the byte order, and much cheaper to compare.
    if (value < min) {
      min = value;
      minAt = lengthAt;
    } else if (value > max) {
      max = value;
      maxAt = lengthAt;
    }
  }
  if (!isAscii) ({ minAt, maxAt } = byteOrderBounds(body, valuesStart, count));
  const bytes = body.bytes;
  const minLength = readUint32(bytes, minAt);
  const maxLength = readUint32(bytes, maxAt);
  if (minLength > MAX_STATISTICS_BYTES || maxLength > MAX_STATISTICS_BYTES) {
    return { min: undefined, max: undefined };
  }
  return {
    min: bytes.slice(minAt + 4, minAt + 4 + minLength),
    max: bytes.slice(maxAt + 4, maxAt + 4 + maxLength),
  };
}

/** The offsets of the least and greatest of `count` PLAIN byte arrays from `start`, bytewise. */
function byteOrderBounds(
  body: ByteSink,
  start: number,
  count: number,
): { minAt: number; maxAt: number } {
  const bytes = body.bytes;
  let minAt = start;
  let maxAt = start;
  let at = start;
  for (let k = 0; k < count; k++) {
    if (compareByteArrays(bytes, at, minAt) < 0) minAt = at;
    if (compareByteArrays(bytes, at, maxAt) > 0) maxAt = at;
    at += 4 + readUint32(bytes, at);
  }
  return { minAt, maxAt };
}

/** Compares the PLAIN byte arrays (length-prefixed) at offsets a and b, unsigned bytewise. */
function compareByteArrays(bytes: Uint8Array, a: number, b: number): number {
  const aLength = readUint32(bytes, a);
  const bLength = readUint32(bytes, b);
  const length = Math.min(aLength, bLength);
  for (let i = 4; i < 4 + length; i++) {
    const difference = (bytes[a + i] as number) - (bytes[b + i] as number);
    if (difference !== 0) return difference;
  }
  return aLength - bLength;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) |
      ((bytes[at + 1] as number) << 8) |
      ((bytes[at + 2] as number) << 16) |
      ((bytes[at + 3] as number) << 24)) >>>
    0
  );
}

function int64Bytes(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  const high = Math.floor(value / TWO_TO_32);
  view.setUint32(0, value - high * TWO_TO_32, true);
  view.setInt32(4, high, true);
  return bytes;
}

const WRITTEN_SCHEMA_FIELDS = new Set([
  'type',
  'repetition_type',
  'name',
  'num_children',
  'converted_type',
]);

// The SchemaElement structs of FileMetaData.schema, the same in every file.
const SCHEMA_ELEMENTS = encodeSchemaElements();

function encodeSchemaElements(): Uint8Array {
  const sink = new ByteSink();
  const thrift = new ThriftCompactWriter(sink);
  for (const element of SUMMARY_PARQUET_SCHEMA) {
    const unwritten = Object.keys(element).filter((field) => !WRITTEN_SCHEMA_FIELDS.has(field));
    if (unwritten.length > 0) {
      throw new Error(
        `summary schema element ${element.name}: ${unwritten.join(', ')} not written`,
      );
    }
    thrift.structElementBegin();
    if (element.type !== undefined) thrift.i32(1, ParquetTypes.indexOf(element.type));
    if (element.repetition_type !== undefined) {
      thrift.i32(3, FieldRepetitionTypes.indexOf(element.repetition_type));
    }
    thrift.binary(4, utf8.encode(element.name));
    if (element.num_children !== undefined) thrift.i32(5, element.num_children);
    if (element.converted_type !== undefined) {
      thrift.i32(6, ConvertedTypes.indexOf(element.converted_type));
    }
    thrift.structEnd();
  }
  return sink.bytes.slice(0, sink.length);
}

// FileMetaData, with field ids from parquet.thrift.
function writeFileMetadata(
  thrift: ThriftCompactWriter,
  rowGroups: readonly RowGroupMetadata[],
  rowCount: number,
): void {
  thrift.i32(1, FORMAT_VERSION);
  thrift.list(2, 'struct', SUMMARY_PARQUET_SCHEMA.length);
  thrift.encodedElements(SCHEMA_ELEMENTS);
  thrift.i64(3, rowCount);
  thrift.list(4, 'struct', rowGroups.length);
  let offset = MAGIC.length;
  for (const rowGroup of rowGroups) {
    thrift.structElementBegin();
    thrift.list(1, 'struct', rowGroup.columns.length);
    let uncompressedSize = 0;
    let compressedSize = 0;
    for (const chunk of rowGroup.columns) {
      writeColumnChunkMetadata(thrift, chunk);
      uncompressedSize += chunk.uncompressedSize;
      compressedSize += chunk.compressedSize;
    }
    thrift.i64(2, uncompressedSize);
    thrift.i64(3, rowGroup.numRows);
    thrift.i64(5, offset);
    thrift.i64(6, compressedSize);
    thrift.structEnd();
    offset += compressedSize;
  }
  thrift.binary(6, CREATED_BY);
  // TYPE_ORDER for every leaf: min/max are signed for INT64 and unsigned bytewise for UTF8.
  thrift.list(7, 'struct', LEAVES.length);
  for (let i = 0; i < LEAVES.length; i++) {
    thrift.structElementBegin();
    thrift.structBegin(1);
    thrift.structEnd();
    thrift.structEnd();
  }
  thrift.end();
}

function writeColumnChunkMetadata(thrift: ThriftCompactWriter, chunk: ColumnChunkMetadata): void {
  const hasDictionary = chunk.dictionaryPageOffset !== undefined;
  const dataPageEncoding = hasDictionary ? RLE_DICTIONARY : PLAIN;
  thrift.structElementBegin();
  thrift.i64(2, chunk.fileOffset);
  thrift.structBegin(3);
  thrift.i32(1, chunk.leaf.physicalType);
  // Every encoding in the chunk, the levels' RLE included.
  const encodings = hasDictionary ? [PLAIN, RLE, RLE_DICTIONARY] : [PLAIN, RLE];
  thrift.list(2, 'i32', encodings.length);
  for (const encoding of encodings) thrift.i32Element(encoding);
  thrift.list(3, 'binary', chunk.leaf.path.length);
  for (const name of chunk.leaf.path) thrift.binaryElement(name);
  thrift.i32(4, SNAPPY);
  thrift.i64(5, chunk.numValues);
  thrift.i64(6, chunk.uncompressedSize);
  thrift.i64(7, chunk.compressedSize);
  thrift.i64(9, chunk.dataPageOffset);
  if (chunk.dictionaryPageOffset !== undefined) thrift.i64(11, chunk.dictionaryPageOffset);
  writeStatistics(thrift, chunk.statistics);
  // Page encoding stats tell Trino (Athena) that every data page is dictionary-encoded, so it
  // may skip row groups by their dictionary.
  thrift.list(13, 'struct', hasDictionary ? 2 : 1);
  if (hasDictionary) writePageEncodingStats(thrift, DICTIONARY_PAGE, PLAIN);
  writePageEncodingStats(thrift, DATA_PAGE, dataPageEncoding);
  thrift.structEnd();
  thrift.structEnd();
}

// Only min_value/max_value (fields 5, 6): the deprecated min/max have no defined order for
// strings, and every current reader takes the new fields.
function writeStatistics(thrift: ThriftCompactWriter, statistics: Statistics): void {
  const { min, max, nullCount } = statistics;
  thrift.structBegin(12);
  if (nullCount !== undefined) thrift.i64(3, nullCount);
  if (min && max) {
    thrift.binary(5, max);
    thrift.binary(6, min);
  }
  thrift.structEnd();
}

function writePageEncodingStats(
  thrift: ThriftCompactWriter,
  pageType: number,
  encoding: number,
): void {
  thrift.structElementBegin();
  thrift.i32(1, pageType);
  thrift.i32(2, encoding);
  thrift.i32(3, 1);
  thrift.structEnd();
}
