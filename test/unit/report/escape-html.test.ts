import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../shared/report/index.ts';

describe('escapeHtml', () => {
  it('escapes the five characters that can end text or an attribute value', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;',
    );
  });

  it('shows bidirectional overrides and invisible characters as \\u escapes, not as themselves', () => {
    // U+202E would display `role/nimda` reversed; U+200B and the BOM would be invisible.
    expect(escapeHtml('role/\u202enimda\u202c')).toBe('role/\\u202enimda\\u202c');
    expect(escapeHtml('a\u200bb\ufeffc\u2066d')).toBe('a\\u200bb\\ufeffc\\u2066d');
    expect(escapeHtml('nul\u0000 esc\u001b del\u007f')).toBe('nul\\u0000 esc\\u001b del\\u007f');
  });

  it('keeps tabs, newlines and ordinary non-ASCII text as they are', () => {
    expect(escapeHtml('a\tb\nc\r — café 東京 ✓')).toBe('a\tb\nc\r — café 東京 ✓');
  });

  it('escapes an ampersand once, so an entity in the input shows as typed', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });
});
