// Which path segments are values rather than names, and the placeholder each kind becomes.
// Rules apply to the decoded segment; a segment holding `%`, `{` or `}` is never a value.

export const PATH_PLACEHOLDERS = [
  'id',
  'uuid',
  'ulid',
  'hex',
  'date',
  'email',
  'token',
  'var',
] as const;

/** Placeholder kinds: `var` is learned from traffic (learnPathTemplates), the rest from shape. */
export type PathPlaceholder = (typeof PATH_PLACEHOLDERS)[number];

const PLACEHOLDER_SEGMENTS: ReadonlySet<string> = new Set(PATH_PLACEHOLDERS.map((p) => `{${p}}`));

/** True for a whole segment that is a placeholder (`{id}`, `{var}` …), never for a literal. */
export function isPlaceholderSegment(segment: string): boolean {
  return PLACEHOLDER_SEGMENTS.has(segment);
}

const DECIMAL = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A ULID's first character is 0–7 (48-bit timestamp); Crockford base32 has no I, L, O, U.
const ULID = /^[0-7][0-9a-hjkmnp-tv-z]{25}$/i;
const NOT_HEX_LETTER = /[g-z]/i;
const HEX = /^[0-9a-f]{8,}$/i;
const DIGIT = /\d/;
const DATE_OR_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const EMAIL =
  /^[A-Za-z0-9._+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** The placeholder a decoded segment stands for, or undefined when it is a literal name. */
export function classifySegment(segment: string): Exclude<PathPlaceholder, 'var'> | undefined {
  if (DECIMAL.test(segment)) return 'id';
  if (UUID.test(segment)) return 'uuid';
  if (isDate(segment)) return 'date';
  // A 26-character string of hex digits alone is more likely hex than a ULID.
  if (ULID.test(segment) && NOT_HEX_LETTER.test(segment)) return 'ulid';
  // At least one digit, so that words spelled in hex letters (`deadbeef`, `facade`) stay names.
  if (HEX.test(segment) && DIGIT.test(segment)) return 'hex';
  if (EMAIL.test(segment)) return 'email';
  if (isOpaqueToken(segment)) return 'token';
  return undefined;
}

function isDate(segment: string): boolean {
  const match = DATE_OR_TIMESTAMP.exec(segment);
  if (match === null) return false;
  const [, , month, day, hour, minute, second] = match.map((part) => Number(part ?? 0));
  return (
    month !== undefined &&
    month >= 1 &&
    month <= 12 &&
    day !== undefined &&
    day >= 1 &&
    day <= 31 &&
    (hour ?? 0) <= 23 &&
    (minute ?? 0) <= 59 &&
    (second ?? 0) <= 60
  );
}

const TOKEN_ALPHABET = /^[A-Za-z0-9_~.+/-]+={0,2}$/;
const LETTER = /[A-Za-z]/;
// Splits `getUserV2`, `RSAEncryption`, `dGhpcyBp` into camel-case words, acronyms and digit runs.
const PIECES = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g;
const VOWEL = /[aeiou]/i;

/**
 * An opaque token: an API key, a session or object id in base64, base64url or base62.
 * It has at least 16 characters of the base64/base64url alphabet (`=` padding allowed at the
 * end; `.` and `~` too, for JWT-like and URL-safe forms), at least one letter and one digit,
 * and it does not read as words: split into camel-case words, acronyms and digit runs, fewer
 * than half of its letters belong to "words" (three or more letters with a vowel, and if all
 * capitals, at most five of them). So `sha256WithRSAEncryption`, `oauth2-callback-handler`
 * and `release-notes-2024-q3` stay names while `V1StGXR8_Z5jdHi6B-myT` and
 * `dGhpcyBpcyBhIHRlc3Q` become `{token}`.
 */
function isOpaqueToken(segment: string): boolean {
  if (segment.length < 16 || !TOKEN_ALPHABET.test(segment)) return false;
  if (!DIGIT.test(segment) || !LETTER.test(segment)) return false;
  let letters = 0;
  let wordLetters = 0;
  for (const piece of segment.match(PIECES) ?? []) {
    if (DIGIT.test(piece)) continue;
    letters += piece.length;
    if (isWordLike(piece)) wordLetters += piece.length;
  }
  return wordLetters * 2 < letters;
}

function isWordLike(piece: string): boolean {
  if (piece.length < 3 || !VOWEL.test(piece)) return false;
  return piece !== piece.toUpperCase() || piece.length <= 5;
}
