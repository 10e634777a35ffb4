// Text from users or the kernel put into a message: control characters (ESC, newline, C1),
// bidirectional overrides and invalid UTF-8 (decoded as U+FFFD) are shown as \u escapes, never
// written raw to a terminal, and a long text is cut to a short excerpt.

/** Characters a name must not contain: C0/C1 controls, DEL, bidi controls, the replacement character of invalid UTF-8. */
export const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd]/u;
const UNSAFE_ALL = new RegExp(UNSAFE_TEXT.source, 'gu');

/** The text with unsafe characters escaped, at most max characters of it (then "…"). */
export function printable(text: string, max = 64): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
