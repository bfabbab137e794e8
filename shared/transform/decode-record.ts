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
  // Buffer.from(…, 'base64') skips characters outside the alphabet (and reads base64url) instead
  // of failing, so the shape is checked: a record whose data is not base64 must fail, not decode
  // to something else. Firehose writes canonical base64, which encoding the bytes again gives
  // back exactly: that comparison (native code) proves the shape for nearly every record, and the
  // regular expression (several times slower on a kilobyte) judges only the rest, such as a
  // padded encoding whose unused bits are not zero, which the shape accepts too.
  const bytes = data.length % 4 === 0 ? Buffer.from(data, 'base64') : undefined;
  if (bytes === undefined || (bytes.toString('base64') !== data && !BASE64.test(data))) {
    return {
      ok: false,
      kind: 'undecodable',
      reason: `data is not valid base64 (${data.length} characters${data.length % 4 === 0 ? ', characters outside the base64 alphabet' : ', not a multiple of 4'})`,
    };
  }
  // ASCII (nearly every access-log entry) is UTF-8 as it is, and a one-byte string is read from it
  // without the decoder's validation pass.
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
