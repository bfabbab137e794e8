import type { SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import {
  decodeSummary,
  encodeSummary,
  SUMMARY_COLUMNS,
  type SummaryField,
  SummaryFormatError,
} from '../../../shared/columnar/index.ts';

// A column as a test writes it: its Parquet schema elements and one value.
interface ColumnSpec {
  elements: SchemaElement[];
  value: unknown;
}

const utf8 = { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' } as const;

// Written independently of the encoder: the Parquet form the summary contract promises.
function contractColumn(name: SummaryField): ColumnSpec {
  const column = SUMMARY_COLUMNS.find((candidate) => candidate.name === name);
  switch (column?.type) {
    case 'string':
      return { elements: [{ name, ...utf8 }], value: column.allowedValues?.[0] ?? 'x' };
    case 'bigint':
      return { elements: [{ name, type: 'INT64', repetition_type: 'REQUIRED' }], value: 7n };
    case 'timestamp':
      return {
        elements: [
          { name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'REQUIRED' },
        ],
        value: BigInt(Date.UTC(2025, 0, 2, 3)),
      };
    default:
      return {
        elements: [
          { name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
          { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
          { name: 'element', ...utf8 },
        ],
        value: ['/a'],
      };
  }
}

/** A one-row Parquet file with the summary columns, some replaced (or dropped with null). */
function summaryFileWith(overrides: Partial<Record<SummaryField, ColumnSpec | null>>): Uint8Array {
  const specs = SUMMARY_COLUMNS.flatMap((column) => {
    const override = overrides[column.name];
    if (override === null) return [];
    return [{ name: column.name, ...(override ?? contractColumn(column.name)) }];
  });
  const buffer = parquetWriteBuffer({
    schema: [{ name: 'root', num_children: specs.length }, ...specs.flatMap((s) => s.elements)],
    columnData: specs.map((spec) => ({ name: spec.name, data: [spec.value] })),
  });
  return new Uint8Array(buffer);
}

async function formatErrorOf(bytes: Uint8Array): Promise<SummaryFormatError> {
  const error = await decodeSummary(bytes).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SummaryFormatError);
  return error as SummaryFormatError;
}

describe('decodeSummary on bad input', () => {
  it('reads a file written to the contract by another writer', async () => {
    const [pattern] = await decodeSummary(summaryFileWith({}));
    expect(pattern).toMatchObject({ hour: '2025-01-02T03', recordKind: 'service', requests: 7 });
  });

  it('rejects bytes that are not Parquet', async () => {
    const error = await formatErrorOf(new TextEncoder().encode('{"not":"parquet"}\n'));
    expect(error.message).toMatch(/summary is not a Parquet file/);
    await formatErrorOf(new Uint8Array(0));
  });

  it('rejects a truncated summary file', async () => {
    const bytes = encodeSummary([]);
    await formatErrorOf(bytes.subarray(0, bytes.length - 5));
  });

  it('rejects a file whose column pages are corrupt', async () => {
    const bytes = new Uint8Array(summaryFileWith({}));
    bytes.fill(0xff, 4, 200);
    const error = await formatErrorOf(bytes);
    expect(error.message).toMatch(/summary Parquet data is unreadable/);
  });

  it('rejects a file with PAR1 magic around garbage', async () => {
    const garbage = new Uint8Array(64).fill(0xab);
    garbage.set([0x50, 0x41, 0x52, 0x31], 0);
    garbage.set([0x10, 0, 0, 0, 0x50, 0x41, 0x52, 0x31], 56);
    await formatErrorOf(garbage);
  });

  it('names a missing column', async () => {
    const error = await formatErrorOf(summaryFileWith({ sessionNames: null }));
    expect(error.message).toBe('summary column sessionNames is missing');
    expect(error.column).toBe('sessionNames');
  });

  it('names a counter stored as a string', async () => {
    const error = await formatErrorOf(
      summaryFileWith({ requests: { elements: [{ name: 'requests', ...utf8 }], value: '7' } }),
    );
    expect(error.column).toBe('requests');
    expect(error.message).toMatch(/column requests should be bigint \(INT64\), found .*BYTE_ARRAY/);
  });

  it('names a timestamp stored as a plain INT64', async () => {
    const error = await formatErrorOf(
      summaryFileWith({
        lastSeen: {
          elements: [{ name: 'lastSeen', type: 'INT64', repetition_type: 'REQUIRED' }],
          value: 1n,
        },
      }),
    );
    expect(error.column).toBe('lastSeen');
    expect(error.message).toMatch(/should be timestamp \(INT64 TIMESTAMP_MILLIS\)/);
  });

  it('names a list stored as a JSON string', async () => {
    const error = await formatErrorOf(
      summaryFileWith({
        examplePaths: {
          elements: [
            {
              name: 'examplePaths',
              type: 'BYTE_ARRAY',
              converted_type: 'JSON',
              repetition_type: 'REQUIRED',
            },
          ],
          value: ['/a'],
        },
      }),
    );
    expect(error.column).toBe('examplePaths');
    expect(error.message).toMatch(/should be array<string>/);
  });

  it('names a string column holding a null', async () => {
    const error = await formatErrorOf(
      summaryFileWith({
        serviceArn: {
          elements: [{ name: 'serviceArn', ...utf8, repetition_type: 'OPTIONAL' }],
          value: null,
        },
      }),
    );
    expect(error.message).toBe('summary row 0 column serviceArn: expected a string, found null');
  });

  it('names an enumeration column holding an unknown value', async () => {
    const error = await formatErrorOf(
      summaryFileWith({
        callerKind: { elements: [{ name: 'callerKind', ...utf8 }], value: 'alien' },
      }),
    );
    expect(error.message).toBe(
      'summary row 0 column callerKind: expected one of role, user, root, principal, anonymous, ' +
        'found "alien"',
    );
  });

  it('names a counter beyond 2^53-1', async () => {
    const error = await formatErrorOf(
      summaryFileWith({
        bytesSent: {
          elements: [{ name: 'bytesSent', type: 'INT64', repetition_type: 'REQUIRED' }],
          value: 2n ** 60n,
        },
      }),
    );
    expect(error.message).toBe(
      'summary row 0 column bytesSent: expected a safe integer, found 1152921504606846976n',
    );
  });

  it('names a firstSeen that has no four-digit UTC year', async () => {
    const error = await formatErrorOf(
      summaryFileWith({
        firstSeen: { ...contractColumn('firstSeen'), value: BigInt(Date.UTC(10_000, 0, 1)) },
      }),
    );
    expect(error.column).toBe('firstSeen');
  });
});
