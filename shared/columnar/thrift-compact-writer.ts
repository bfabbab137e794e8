// Thrift Compact Protocol output, the encoding of Parquet's page headers and file metadata:
// just the field types those structs use, written in field-id order by the caller.
import type { ByteSink } from './byte-sink.ts';

const STOP = 0;
const I32 = 5;
const I64 = 6;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

/** Element types a list may hold. */
export type ThriftListElement = 'i32' | 'binary' | 'struct';
const LIST_ELEMENT_TYPES: Record<ThriftListElement, number> = {
  i32: I32,
  binary: BINARY,
  struct: STRUCT,
};

/**
 * Writes one Thrift struct (and the structs nested in it) to a ByteSink. Fields must be written
 * in increasing id order within each struct: the compact protocol stores id deltas.
 */
export class ThriftCompactWriter {
  private lastFieldId = 0;
  private readonly enclosingFieldIds: number[] = [];

  constructor(private readonly sink: ByteSink) {}

  i32(id: number, value: number): void {
    this.fieldHeader(id, I32);
    this.zigzag(value);
  }

  /** An i64 field holding a safe integer. */
  i64(id: number, value: number): void {
    this.fieldHeader(id, I64);
    this.zigzag(value);
  }

  /** A binary (or string, given as its UTF-8 bytes) field. */
  binary(id: number, value: Uint8Array): void {
    this.fieldHeader(id, BINARY);
    this.binaryValue(value);
  }

  /** Starts a struct field; end it with `structEnd`. */
  structBegin(id: number): void {
    this.fieldHeader(id, STRUCT);
    this.enclosingFieldIds.push(this.lastFieldId);
    this.lastFieldId = 0;
  }

  structEnd(): void {
    this.sink.byte(STOP);
    this.lastFieldId = this.enclosingFieldIds.pop() ?? 0;
  }

  /** Starts a list field of `size` elements; then write each with the matching element method. */
  list(id: number, element: ThriftListElement, size: number): void {
    this.fieldHeader(id, LIST);
    const type = LIST_ELEMENT_TYPES[element];
    if (size < 15) {
      this.sink.byte((size << 4) | type);
    } else {
      this.sink.byte(0xf0 | type);
      this.sink.varint(size);
    }
  }

  i32Element(value: number): void {
    this.zigzag(value);
  }

  binaryElement(value: Uint8Array): void {
    this.binaryValue(value);
  }

  /** Appends list elements encoded beforehand, as the constant parts of a struct are. */
  encodedElements(bytes: Uint8Array): void {
    this.sink.append(bytes);
  }

  /** Starts a struct list element; end it with `structEnd`. */
  structElementBegin(): void {
    this.enclosingFieldIds.push(this.lastFieldId);
    this.lastFieldId = 0;
  }

  /** Ends the top-level struct. */
  end(): void {
    this.sink.byte(STOP);
  }

  private fieldHeader(id: number, type: number): void {
    const delta = id - this.lastFieldId;
    if (delta > 0 && delta <= 15) {
      this.sink.byte((delta << 4) | type);
    } else {
      this.sink.byte(type);
      this.zigzag(id);
    }
    this.lastFieldId = id;
  }

  private binaryValue(bytes: Uint8Array): void {
    this.sink.varint(bytes.length);
    this.sink.append(bytes);
  }

  // ZigZag maps signed to unsigned (0, -1, 1, -2 → 0, 1, 2, 3); arithmetic rather than bitwise,
  // as i64 values here go beyond 32 bits.
  private zigzag(value: number): void {
    this.sink.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }
}
