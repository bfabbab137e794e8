// HTML escaping for every string that comes from the logs: principals and paths are attacker-controlled.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

// Besides markup, a reviewer must not be fooled by what cannot be seen: bidirectional overrides
// and isolates ("Trojan Source") can make `role/admin‮` display as another name, and control,
// zero-width and byte-order-mark characters are invisible. They are shown as `\u202e` text.
const ESCAPED =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[&<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Text safe in HTML and SVG element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    ESCAPED,
    (char) => ENTITIES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
