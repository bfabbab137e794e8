// From a path template to the path part of an auth-policy resource ARN
// (`…:service/svc-…/orders/*`), where `*` matches any characters, `/` included (§4).

import { isPlaceholderSegment } from './segment-kinds.ts';

// RFC 3986 path characters that clients send as they are (unreserved, sub-delims, `:`, `@`).
const PLAIN_PATH_CHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/;
const ESCAPE = /^%[0-9A-F]{2}/i;

/**
 * Each placeholder segment becomes `*`. In a literal segment, a character whose spelling on
 * the wire may differ from the template's (an escape such as `%2F`, a space, non-ASCII) becomes
 * `*` too, so the pattern matches the request whether Lattice compares the path encoded or
 * decoded. A literal `*` is kept and acts as a wildcard; there is no way to escape it in a
 * policy. Both choices can only broaden a grant, never deny an observed request. `?` never
 * occurs: templates spell it `%3F`.
 */
export function pathTemplateToResourcePattern(template: string): string {
  return template
    .split('/')
    .map((segment) => (isPlaceholderSegment(segment) ? '*' : literalPattern(segment)))
    .join('/');
}

function literalPattern(segment: string): string {
  let pattern = '';
  let i = 0;
  while (i < segment.length) {
    if (ESCAPE.test(segment.slice(i, i + 3))) {
      pattern += '*';
      i += 3;
      continue;
    }
    const char = String.fromCodePoint(segment.codePointAt(i) ?? 0);
    pattern += PLAIN_PATH_CHAR.test(char) ? char : '*';
    i += char.length;
  }
  return pattern.replace(/\*{2,}/g, '*');
}
