// Path templating: a raw request path becomes the canonical template its requests share
// (`/orders/8812?x=1` → `/orders/{id}`). Deterministic and idempotent.

import { decodeSegment } from './percent-encoding.ts';
import { classifySegment, isPlaceholderSegment } from './segment-kinds.ts';

// An absolute-form request target (`http://host/path`) as a proxy may send it.
const SCHEME_AND_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/;

/**
 * The template of a request path: query and fragment cut; each segment percent-decoded;
 * empty segments (repeated or trailing slashes) dropped; `.` and `..` resolved, never above
 * the root; then each whole segment that is a value replaced by its placeholder (see
 * segment-kinds.ts). A segment that already is a placeholder (`{id}`) is kept, which is what
 * makes templating idempotent. Literal segments are written canonically (percent-encoding.ts).
 */
export function templatePath(rawPath: string): string {
  const cut = rawPath.search(/[?#]/);
  const path = (cut === -1 ? rawPath : rawPath.slice(0, cut)).replace(SCHEME_AND_AUTHORITY, '');
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    if (isPlaceholderSegment(raw)) {
      segments.push(raw);
      continue;
    }
    const { text, canonical } = decodeSegment(raw);
    if (text === '.') continue;
    if (text === '..') {
      segments.pop();
      continue;
    }
    const placeholder = classifySegment(text);
    segments.push(placeholder === undefined ? canonical : `{${placeholder}}`);
  }
  return `/${segments.join('/')}`;
}
