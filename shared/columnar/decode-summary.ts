// Reads a summary Parquet file back into call patterns, checking it against the declared schema:
// this is the edge where stored bytes become trusted CallPattern values again.
import {
  type FileMetaData,
  parquetMetadata,
  parquetReadObjects,
  parquetSchema,
  type SchemaElement,
  type SchemaTree,
} from 'hyparquet';
import type { CallPattern } from '../patterns/types.ts';
import { SUMMARY_COLUMNS, type SummaryColumn } from './schema.ts';
import { SummaryFormatError } from './summary-format-error.ts';
import { isSummaryHour, utcHourOf } from './summary-key.ts';

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Decodes a summary file. Counters and timestamps come back as JS numbers (epoch ms), `hour`
 * is the UTC hour of `firstSeen`. Columns beyond the schema are ignored (older readers keep
 * working when a column is added); a missing or differently typed column is an error.
 * @throws SummaryFormatError when the bytes are not Parquet, a column is missing or has another
 * type, or a value does not fit CallPattern (null, unsafe integer, unknown enumeration value).
 */
export async function decodeSummary(bytes: Uint8Array): Promise<CallPattern[]> {
  const file = toArrayBuffer(bytes);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(file);
  } catch (error) {
    throw new SummaryFormatError(`summary is not a Parquet file: ${messageOf(error)}`, {
      cause: error,
    });
  }
  checkSchema(metadata);

  let records: Record<string, unknown>[];
  try {
    records = await parquetReadObjects({
      file,
      metadata,
      columns: SUMMARY_COLUMNS.map((column) => column.name),
      parsers: {
        // Keep timestamps as the stored bigint milliseconds instead of Date objects.
        timestampFromMilliseconds: (millis: bigint) => millis,
        // The default decoder drops a leading U+FEFF, which is part of a logged value.
        stringFromBytes: (bytes: Uint8Array | undefined) => bytes && utf8.decode(bytes),
      },
    });
  } catch (error) {
    throw new SummaryFormatError(`summary Parquet data is unreadable: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return records.map(toCallPattern);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) {
    return buffer;
  }
  return new Uint8Array(bytes).buffer;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkSchema(metadata: FileMetaData): void {
  let root: SchemaTree;
  try {
    root = parquetSchema(metadata);
  } catch (error) {
    throw new SummaryFormatError(`summary Parquet schema is malformed: ${messageOf(error)}`, {
      cause: error,
    });
  }
  for (const column of SUMMARY_COLUMNS) {
    const node = root.children.find((child) => child.element.name === column.name);
    if (!node) {
      throw new SummaryFormatError(`summary column ${column.name} is missing`, {
        column: column.name,
      });
    }
    if (!hasColumnType(column, node)) {
      throw new SummaryFormatError(
        `summary column ${column.name} should be ${column.type} (${PARQUET_FORM[column.type]}), ` +
          `found ${describeNode(node)}`,
        { column: column.name },
      );
    }
  }
}

const PARQUET_FORM: Record<SummaryColumn['type'], string> = {
  string: 'BYTE_ARRAY UTF8',
  bigint: 'INT64',
  timestamp: 'INT64 TIMESTAMP_MILLIS',
  'array<string>': 'LIST of BYTE_ARRAY UTF8',
};

function isLeaf(node: SchemaTree): boolean {
  return node.children.length === 0 && node.element.repetition_type !== 'REPEATED';
}

function isUtf8(element: SchemaElement): boolean {
  return (
    element.type === 'BYTE_ARRAY' &&
    (element.converted_type === 'UTF8' || element.logical_type?.type === 'STRING')
  );
}

function isPlainInt64(element: SchemaElement): boolean {
  const { type, converted_type, logical_type } = element;
  const isSignedInteger =
    logical_type === undefined ||
    (logical_type.type === 'INTEGER' && logical_type.bitWidth === 64 && logical_type.isSigned);
  return (
    type === 'INT64' &&
    (converted_type === undefined || converted_type === 'INT_64') &&
    isSignedInteger
  );
}

function isTimestampMillis(element: SchemaElement): boolean {
  const { type, converted_type, logical_type } = element;
  if (type !== 'INT64') return false;
  if (logical_type !== undefined) {
    return logical_type.type === 'TIMESTAMP' && logical_type.unit === 'MILLIS';
  }
  return converted_type === 'TIMESTAMP_MILLIS';
}

// The standard 3-level LIST: <name> (LIST) → repeated group → one UTF8 leaf.
function isStringList(node: SchemaTree): boolean {
  const { element } = node;
  const isList = element.converted_type === 'LIST' || element.logical_type?.type === 'LIST';
  if (!isList || element.repetition_type === 'REPEATED' || node.children.length !== 1) {
    return false;
  }
  const repeated = node.children[0];
  if (repeated?.element.repetition_type !== 'REPEATED' || repeated.children.length !== 1) {
    return false;
  }
  const item = repeated.children[0];
  return item !== undefined && isLeaf(item) && isUtf8(item.element);
}

function hasColumnType(column: SummaryColumn, node: SchemaTree): boolean {
  switch (column.type) {
    case 'string':
      return isLeaf(node) && isUtf8(node.element);
    case 'bigint':
      return isLeaf(node) && isPlainInt64(node.element);
    case 'timestamp':
      return isLeaf(node) && isTimestampMillis(node.element);
    case 'array<string>':
      return isStringList(node);
  }
}

function describeNode(node: SchemaTree): string {
  const { repetition_type, type, converted_type, logical_type } = node.element;
  const parts: (string | undefined)[] = [
    repetition_type,
    type ?? `group of ${node.children.length}`,
    converted_type,
  ];
  if (logical_type) parts.push(`logical ${logical_type.type}`);
  return parts.filter((part) => part !== undefined).join(' ');
}

function valueError(column: SummaryColumn, row: number, expected: string, value: unknown) {
  const shown = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value);
  return new SummaryFormatError(
    `summary row ${row} column ${column.name}: expected ${expected}, found ${shown}`,
    { column: column.name },
  );
}

function toNumber(column: SummaryColumn, row: number, value: unknown): number {
  if (typeof value === 'bigint') {
    const number = Number(value);
    if (Number.isSafeInteger(number)) return number;
  }
  throw valueError(column, row, 'a safe integer', value);
}

function toValue(column: SummaryColumn, row: number, value: unknown): unknown {
  switch (column.type) {
    case 'string':
      if (typeof value !== 'string') throw valueError(column, row, 'a string', value);
      if (column.allowedValues && !(column.allowedValues as readonly string[]).includes(value)) {
        throw valueError(column, row, `one of ${column.allowedValues.join(', ')}`, value);
      }
      return value;
    case 'bigint':
    case 'timestamp':
      return toNumber(column, row, value);
    case 'array<string>':
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
        throw valueError(column, row, 'a list of strings', value);
      }
      return value;
  }
}

function toCallPattern(record: Record<string, unknown>, row: number): CallPattern {
  const pattern: Record<string, unknown> = {};
  for (const column of SUMMARY_COLUMNS) {
    pattern[column.name] = toValue(column, row, record[column.name]);
  }
  const hour = utcHourOf(pattern.firstSeen as number);
  if (!isSummaryHour(hour)) {
    throw new SummaryFormatError(
      `summary row ${row} column firstSeen: ${pattern.firstSeen} has no UTC hour YYYY-MM-DDTHH`,
      { column: 'firstSeen' },
    );
  }
  // Every other CallPattern field was just checked against its column type.
  return { hour, ...pattern } as unknown as CallPattern;
}
