/*
 * zishu.js — 字数 for the live count under a text box (DOMAIN.md §5).
 *
 * The same rules as src/core/zishu.c; tests/vectors/zishu.json is the
 * contract both must meet. Plain ES module: must never depend on the DOM,
 * a framework or Intl (the count may not vary with the browser's locale).
 */

// U+3000 IDEOGRAPHIC SPACE lies in the "count each" range but is whitespace:
// Word does not count it as a 字. U+FEFF is an invisible BOM.
const SPACES = new Set([
  0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x00a0, 0x1680, 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000, 0xfeff,
]);

function isSpace(cp) {
  return SPACES.has(cp) || (cp >= 0x2000 && cp <= 0x200b);
}

/**
 * Count the 字数 of text: each code point at or above U+3000 counts 1, each
 * maximal run of other non-whitespace code points counts 1. for..of walks code
 * points, so a character outside the BMP is one, not two UTF-16 halves. A lone
 * surrogate (possible in a JS string, refused by the server as bad UTF-8)
 * counts as part of a run here.
 */
export function countZishu(text) {
  let count = 0;
  let inRun = false;
  for (const ch of String(text ?? '')) {
    const cp = ch.codePointAt(0);
    if (isSpace(cp)) {
      inRun = false;
    } else if (cp >= 0x3000) {
      count += 1;
      inRun = false;
    } else if (!inRun) {
      count += 1;
      inRun = true;
    }
  }
  return count;
}
