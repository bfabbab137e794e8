// Renders a rejected access-log line the way compilers report errors: `file:line: what is wrong`.
import type { RejectedLine } from './types.ts';

/** `sample.log:12: field responseCode: expected an integer status 100-599, got "abc"`. */
export function formatRejection(rejected: RejectedLine): string {
  const { location, field, reason } = rejected;
  const where = `${location.source}:${location.line}`;
  if (field === undefined) return `${where}: ${reason}`;
  // Reasons written by the parser already start with the field name; do not say it twice.
  const detail = reason.startsWith(`${field}: `) ? reason : `${field}: ${reason}`;
  return `${where}: field ${detail}`;
}
