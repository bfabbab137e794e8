// The report's Content-Security-Policy: nothing may load, and only our own inline style and
// script may run, admitted by their hashes so an injected <script> or style would be refused.
import { createHash } from 'node:crypto';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The policy for a page whose only style and script elements hold exactly these texts. */
export function contentSecurityPolicy(style: string, script: string): string {
  return [
    "default-src 'none'",
    `style-src ${sha256(style)}`,
    `script-src ${sha256(script)}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
