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
  const binary = bytesOfBase64(data);
  if (binary !== undefined) {
    // One UTF-8 byte per character: ASCII (nearly every access-log entry) is its own text.
    if (Buffer.byteLength(binary, 'utf8') === binary.length) {
      return { ok: true, text: binary, isAscii: true };
    }
    return textOf(Buffer.from(binary, 'latin1'));
  }
  // What atob did not prove: judged by the shape itself (only failures are expected here).
  // Buffer.from(…, 'base64') skips characters outside the alphabet (and reads base64url) instead
  // of failing, so the shape is checked: a record whose data is not base64 must fail, not decode
  // to something else.
  if (data.length % 4 !== 0 || !BASE64.test(data)) {
    return {
      ok: false,
      kind: 'undecodable',
      reason: `data is not valid base64 (${data.length} characters${data.length % 4 === 0 ? ', characters outside the base64 alphabet' : ', not a multiple of 4'})`,
    };
  }
  return textOf(Buffer.from(data, 'base64'));
}

/**
 * The bytes of `data`, one character per byte, when it is base64 of the shape BASE64 checks (and
 * a multiple of 4 long); undefined otherwise (the caller then judges it the long way).
 *
 * atob (simdutf in Node 20, several times faster than Buffer.from) reads "forgiving" base64: it
 * also accepts ASCII whitespace anywhere and missing padding, and refuses everything else BASE64
 * refuses. Missing padding fails the length test. Whitespace always costs output: with w ≥ 1
 * whitespace characters in a string of 4k characters ending in p `=`, atob yields fewer than
 * 3k - p bytes (6 bits a character: when w is not a multiple of 4, atob strips no padding, so any
 * `=` makes it throw, p = 0 and 6(4k - w)/8 < 3k; when it is, w ≥ 4 costs at least 3 bytes). So a
 * full-length result proves the shape, and its bytes are Buffer.from's (both drop unused bits).
 */
function bytesOfBase64(data: string): string | undefined {
  if (data.length % 4 !== 0) return undefined;
  let binary: string;
  try {
    binary = atob(data);
  } catch {
    // A character outside the alphabet, or a length atob cannot read.
    return undefined;
  }
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return binary.length === (data.length / 4) * 3 - padding ? binary : undefined;
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
