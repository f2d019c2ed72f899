/**
 * Every character that never reaches the terminal as it is: C0 controls (tab, newline and ESC
 * among them), DEL, C1 controls (U+0080–U+009F; U+009B is an 8-bit CSI, U+0085 a line break),
 * the bidi controls that reorder what follows them (embeddings and overrides U+202A–U+202E,
 * isolates U+2066–U+2069, the marks U+200E, U+200F and U+061C) and the line and paragraph
 * separators U+2028 and U+2029. Zero-width characters (U+200B–U+200D, U+FEFF) are not in it:
 * they neither move the cursor nor reorder text, and emoji sequences need U+200D.
 */
// Matching control characters is the point of these patterns.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** The unsafe characters and `|`, for the text printed before the extras. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS_OR_BAR = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069|]/g;

/** The unsafe characters that `JSON.stringify` leaves as they are (it escapes C0 controls itself). */
const UNSAFE_NON_ASCII = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const ESCAPES: Readonly<Record<string, string>> = Object.freeze({
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '|': '\\|',
});

/** True for the UTF-16 code unit of a character that must print escaped (see `UNSAFE_CHARS`). */
export function isUnsafeChar(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && isUnsafeFrom7f(c));
}

/** The test for code units from U+007F on, split out so ASCII text pays one comparison. */
export function isUnsafeFrom7f(c: number): boolean {
  return (
    c <= 0x9f ||
    (c >= 0x061c &&
      (c === 0x061c ||
        c === 0x200e ||
        c === 0x200f ||
        (c >= 0x2028 && c <= 0x202e) ||
        (c >= 0x2066 && c <= 0x2069)))
  );
}

/**
 * Keeps free text (a message, a logger name, a stack line, a raw input line) on one line and
 * harmless to a terminal: newlines, carriage returns and tabs print as `\n`, `\r`, `\t`, every
 * other unsafe character as `\u001b`, `\u009b`, `\u202e`, …. Returns `text` itself when it is safe.
 */
export function sanitizeText(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (isUnsafeChar(text.charCodeAt(i))) return text.replace(UNSAFE_CHARS, escapeChar);
  }
  return text;
}

/**
 * {@link sanitizeText} for what prints before the extras (the message, the logger name, a label),
 * which also escapes `|` as `\|`: the first ` | ` of a record's line is then always the one
 * that starts the extras — a message such as `GET / | user=admin` cannot look like extras.
 */
export function sanitizeHeadText(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7c /* | */ || isUnsafeChar(c)) return text.replace(UNSAFE_CHARS_OR_BAR, escapeChar);
  }
  return text;
}

/**
 * Makes JSON text (`JSON.stringify`'s output) safe for a terminal: escapes the characters JSON
 * leaves as they are (DEL, C1 and bidi controls, U+2028/U+2029), which only occur inside its
 * strings, where `\uXXXX` is a valid escape. The result is still valid JSON, of the same value.
 */
export function sanitizeJson(json: string): string {
  return json.replace(UNSAFE_NON_ASCII, escapeChar);
}

function escapeChar(char: string): string {
  return ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
