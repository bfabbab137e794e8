// Percent-decoding of one path segment that never throws, and the canonical re-encoding that
// keeps a decoded segment one unambiguous segment of a template.

/** A segment as read (decoded, for classification) and as written into a template. */
export interface DecodedSegment {
  /** Decoded text; escapes that are not valid UTF-8 stay in it as sent. */
  text: string;
  /**
   * Canonical spelling: an escape of an ASCII character stays an escape (upper-cased), a
   * multi-byte UTF-8 sequence is written decoded, and a character that must not appear bare in
   * a template is escaped (see encodeChar).
   */
  canonical: string;
}

const ESCAPE = /%[0-9A-Fa-f]{2}/y;

/**
 * Decodes `%XX` escapes as UTF-8. An escape that does not start a valid UTF-8 sequence (a
 * stray continuation byte, a truncated or overlong sequence) is kept as sent (upper-cased in
 * the canonical spelling), so the function is total. A `%` that starts no escape is a literal
 * percent sign.
 *
 * Why an ASCII escape (`%41`, `%2E`, `%20`) stays an escape in the canonical spelling: a template
 * becomes an auth-policy resource, and Lattice compares it with the path as the client spelled it
 * (whether it also decodes first is not documented, see shared/policy/evaluate). A template that
 * turned `/%76%31` into `/v1` would grant `/v1`, which does not match the request `/%76%31`;
 * kept as an escape, the resource pattern widens it to `*` and matches both spellings.
 * Multi-byte sequences are written decoded for readability: a non-ASCII character is widened
 * to `*` in the resource pattern just the same.
 */
export function decodeSegment(raw: string): DecodedSegment {
  let text = '';
  let canonical = '';
  let i = 0;
  while (i < raw.length) {
    const escapes = escapeRunAt(raw, i);
    if (escapes.length === 0) {
      const char = String.fromCodePoint(raw.codePointAt(i) ?? 0);
      text += char;
      canonical += encodeChar(char);
      i += char.length;
      continue;
    }
    const sequence = utf8SequenceAt(escapes);
    if (sequence === undefined) {
      const kept = escapes[0] ?? '';
      text += kept;
      canonical += kept.toUpperCase();
      i += 3;
    } else if (sequence.escapes === 1) {
      text += sequence.char;
      canonical += (escapes[0] ?? '').toUpperCase();
      i += 3;
    } else {
      text += sequence.char;
      canonical += encodeChar(sequence.char);
      i += 3 * sequence.escapes;
    }
  }
  return { text, canonical };
}

/** The escapes `%XX%YY…` starting at `index` (up to four, the longest UTF-8 sequence). */
function escapeRunAt(raw: string, index: number): string[] {
  const escapes: string[] = [];
  let at = index;
  while (escapes.length < 4) {
    ESCAPE.lastIndex = at;
    const match = ESCAPE.exec(raw);
    if (match === null) break;
    escapes.push(match[0]);
    at += 3;
  }
  return escapes;
}

function utf8SequenceAt(escapes: string[]): { char: string; escapes: number } | undefined {
  const lead = Number.parseInt((escapes[0] ?? '').slice(1), 16);
  const length = utf8SequenceLength(lead);
  if (length === 0 || escapes.length < length) return undefined;
  try {
    // decodeURIComponent rejects overlong forms, surrogates and bad continuation bytes.
    return { char: decodeURIComponent(escapes.slice(0, length).join('')), escapes: length };
  } catch {
    return undefined;
  }
}

/** Bytes in the UTF-8 sequence a lead byte starts; 0 when it cannot start one. */
function utf8SequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * The characters a template spells as escapes even when decoded: `%` (else `%2541` would decode
 * twice), `/` (an encoded slash stays inside its segment), `?` and `#` (a template never holds a
 * query or fragment), `{` and `}` (a literal `{id}` must not read as a placeholder), and control
 * characters. Everything else, non-ASCII included, is written decoded.
 */
function encodeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const needsEscape =
    code < 0x20 ||
    code === 0x7f ||
    char === '%' ||
    char === '/' ||
    char === '?' ||
    char === '#' ||
    char === '{' ||
    char === '}';
  return needsEscape ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : char;
}

/**
 * A whole path with its `%XX` escapes decoded as UTF-8 (`%2F` included); escapes that are not
 * valid UTF-8 stay as sent. One of the two spellings of a request path an auth policy may be
 * matched against.
 */
export function decodePath(path: string): string {
  return decodeSegment(path).text;
}
