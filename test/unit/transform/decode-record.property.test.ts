// decodeRecordData against the plain reading of the contract: base64 of the RFC 4648 alphabet,
// padded to a multiple of 4, decoded by Buffer.from, read as UTF-8 (fatal, BOM dropped). The fast
// way through atob must accept and refuse exactly what that accepts and refuses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecordData } from '../../../shared/transform/decode-record.ts';

const SHAPE = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function reference(data: string): { ok: true; text: string } | { ok: false } {
  if (data.length % 4 !== 0 || !SHAPE.test(data)) return { ok: false };
  try {
    return { ok: true, text: utf8.decode(Buffer.from(data, 'base64')) };
  } catch {
    return { ok: false };
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Characters base64 readers disagree on: padding, base64url, whitespace, Latin-1, UTF-16. */
const AWKWARD = [
  '=',
  '-',
  '_',
  ' ',
  '\n',
  '\t',
  '\f',
  '\r',
  '\v',
  '.',
  'Ł',
  'Ā',
  'Á',
  'ÿ',
  '\0',
  '\ud83d',
  '⭁',
  '\u00a0',
  '\ufeff',
];

const almostBase64 = fc
  .array(
    fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...ALPHABET) },
      { weight: 1, arbitrary: fc.constantFrom(...AWKWARD) },
    ),
    { maxLength: 24 },
  )
  .chain((chars) =>
    fc
      .constantFrom('', '=', '==', '===')
      .map((padding) => `${chars.join('')}${padding}`.slice(-Math.max(chars.length, 1))),
  );

function agree(data: string) {
  const decoded = decodeRecordData(data);
  const expected = reference(data);
  expect(decoded.ok).toBe(expected.ok);
  if (decoded.ok && expected.ok) expect(decoded.text).toBe(expected.text);
}

describe('decodeRecordData', () => {
  it('agrees with the plain reading on strings near base64', () => {
    fc.assert(
      fc.property(almostBase64, (data) => {
        agree(data);
        // Cut to a multiple of 4 too: the length test alone would decide most strings.
        agree(data.slice(0, data.length - (data.length % 4)));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees on the base64 of any bytes, with stray bits in the padding or a character swapped', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.nat(),
        fc.constantFrom(...ALPHABET, ...AWKWARD),
        (bytes, at, swap) => {
          const data = Buffer.from(bytes).toString('base64');
          agree(data);
          if (data.length > 0) {
            const i = at % data.length;
            agree(`${data.slice(0, i)}${swap}${data.slice(i + 1)}`);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads UTF-8 text with a byte order mark, multi-byte characters and ASCII alike', () => {
    for (const text of ['{"a":1}', '\ufeff{"a":"é"}', '{"a":"☃ 🚀"}', '']) {
      agree(Buffer.from(text, 'utf8').toString('base64'));
    }
  });
});
