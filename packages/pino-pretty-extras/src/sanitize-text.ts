// Matching control characters is the point of this pattern.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000a-\u001f\u007f]/g;
const ESCAPES: Readonly<Record<string, string>> = Object.freeze({ '\n': '\\n', '\r': '\\r' });

/**
 * Keeps free text (a message, a logger name, a stack line) on one line and free of terminal
 * escapes: newlines print as `\n`, other control characters as `\u001b`. Tabs stay.
 */
export function sanitizeText(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return text.replace(CONTROL_CHARS, escapeChar);
  }
  return text;
}

function escapeChar(char: string): string {
  return ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
