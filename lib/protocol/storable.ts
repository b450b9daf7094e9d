/*
 * Text both sides can store and measure alike. PostgreSQL text and JSONB hold neither NUL
 * nor an unpaired surrogate, so the collector refuses them; the embed refuses them in what
 * the widget sends and strips them from what the host page adds. No lookbehind in these
 * patterns: the embed script must parse in browsers that lack it.
 */

/** NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one. */
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

/** True when a string holds neither NUL nor an unpaired surrogate. */
export function isStorableString(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/**
 * `text` without NUL and unpaired surrogates, cut to at most `max` UTF-16 code units
 * without splitting a surrogate pair: how the host fits what it reads from the page (URL,
 * referrer, `utm_*`, user agent) into the collector's field lengths.
 */
export function storableText(text: string, max: number): string {
  let out = '';
  // for…of walks code points: a pair comes whole, an unpaired surrogate alone.
  for (const char of text) {
    const unpaired = char.length === 1 && char >= '\ud800' && char <= '\udfff';
    if (char === '\0' || unpaired) continue;
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
}

/** Length of `text` in UTF-8 bytes: the unit of every byte limit of the collector contract. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
