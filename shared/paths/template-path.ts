// Path templating: a raw request path becomes the template its requests share
// (`/orders/8812?x=1` → `/orders/{id}`). Deterministic, idempotent, and faithful to the spelling
// an auth policy is matched against.

import { decodeSegment } from './percent-encoding.ts';
import { classifySegment, isPlaceholderSegment } from './segment-kinds.ts';

// An absolute-form request target (`http://host/path`) as a proxy may send it.
const SCHEME_AND_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/;

/**
 * The path part of a request target: query and fragment cut, an absolute-form scheme and
 * authority dropped. This is the path a Lattice auth-policy resource is compared with
 * (`…:service/svc-…/<path>`), and the only normalization templating applies to the whole path.
 */
export function requestPathOf(rawPath: string): string {
  const cut = rawPath.search(/[?#]/);
  return (cut === -1 ? rawPath : rawPath.slice(0, cut)).replace(SCHEME_AND_AUTHORITY, '');
}

/**
 * The template of a request path: the path part (requestPathOf), then each whole segment that
 * is a value (see segment-kinds.ts, judged on its percent-decoded text) replaced by its
 * placeholder. A segment that already is a placeholder (`{id}`) is kept, which is what makes
 * templating idempotent. Literal segments are written canonically (percent-encoding.ts).
 *
 * Structure is kept as sent: a trailing slash, empty segments (`//`) and `.` / `..` segments stay.
 * A template stands for requests that one auth-policy resource must match, and Lattice matches
 * the resource against the path as the client sent it: merging `/orders/` into `/orders` would
 * grant `…/orders`, which does not match a request for `/orders/`. So every raw path matches the
 * resource pattern of its own template (pathTemplateToResourcePattern), spelled as sent or
 * percent-decoded; the property test in test/unit/paths states it.
 */
export function templatePath(rawPath: string): string {
  const path = requestPathOf(rawPath);
  const raws = path.split('/');
  // A path starts with `/`; one that does not is read as if it did.
  if (raws[0] === '') raws.shift();
  const segments = raws.map((raw) => {
    if (raw === '' || isPlaceholderSegment(raw)) return raw;
    const { text, canonical } = decodeSegment(raw);
    const placeholder = classifySegment(text);
    return placeholder === undefined ? canonical : `{${placeholder}}`;
  });
  return `/${segments.join('/')}`;
}
