// Turns a Firehose record's `data` into text, or says precisely why it cannot be read.
// The first edge of the transform: nothing past here sees bytes, only strings.
import { isAscii } from 'node:buffer';

/** Standard base64 as Firehose writes it: the RFC 4648 alphabet, padded to a multiple of 4. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// fatal: a byte sequence that is not UTF-8 is an error, not a silent U+FFFD that would change the
// record; the decoder also drops a leading BOM, which is not part of the JSON text.
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type DecodedRecord =
  /** isAscii: one byte per character, so `data` is the base64 of the text's characters. */
  | { ok: true; text: string; isAscii: boolean }
  | { ok: false; kind: 'undecodable' | 'not-text'; reason: string };

export function decodeRecordData(data: unknown): DecodedRecord {
  if (typeof data !== 'string') {
    return {
      ok: false,
      kind: 'undecodable',
      reason: `data is ${describeType(data)}, not a base64 string`,
    };
  }
  // Firehose writes canonical base64. atob (simdutf in Node 20) decodes it to one character per
  // byte, and btoa giving `data` back proves it is canonical base64, which is all the shape below
  // asks; both together cost less than Buffer.from alone. Anything else takes the long way.
  const binary = canonicalBytesOf(data);
  if (binary !== undefined) {
    // One UTF-8 byte per character: ASCII (nearly every access-log entry) is its own text.
    if (Buffer.byteLength(binary, 'utf8') === binary.length) {
      return { ok: true, text: binary, isAscii: true };
    }
    return textOf(Buffer.from(binary, 'latin1'));
  }
  // Buffer.from(…, 'base64') skips characters outside the alphabet (and reads base64url) instead
  // of failing, so the shape is checked: a record whose data is not base64 must fail, not decode
  // to something else. The shape also admits padded base64 whose unused bits are not zero.
  if (data.length % 4 !== 0 || !BASE64.test(data)) {
    return {
      ok: false,
      kind: 'undecodable',
      reason: `data is not valid base64 (${data.length} characters${data.length % 4 === 0 ? ', characters outside the base64 alphabet' : ', not a multiple of 4'})`,
    };
  }
  return textOf(Buffer.from(data, 'base64'));
}

/** The bytes of `data` as a binary string when it is canonical base64, else undefined. */
function canonicalBytesOf(data: string): string | undefined {
  try {
    const binary = atob(data);
    return btoa(binary) === data ? binary : undefined;
  } catch {
    // Not base64 at all as atob reads it (a character outside the alphabet, a bad length).
    return undefined;
  }
}

function textOf(bytes: Buffer): DecodedRecord {
  if (isAscii(bytes)) return { ok: true, text: bytes.toString('latin1'), isAscii: true };
  try {
    return { ok: true, text: utf8.decode(bytes), isAscii: false };
  } catch {
    return {
      ok: false,
      kind: 'not-text',
      reason: `data decodes to ${bytes.byteLength} bytes that are not UTF-8 text`,
    };
  }
}

function describeType(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  return `a ${Array.isArray(value) ? 'array' : typeof value}`;
}
