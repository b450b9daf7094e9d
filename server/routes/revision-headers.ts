import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';

/** The strong entity tag of a revision: `"3"`. */
export const etagOf = (revision: number): string => `"${revision}"`;

/** What an `If-Match` asks for: a revision, `any` (`*`: the widget must exist), or nothing (unconditional). */
export type IfMatch = number | 'any' | null;

const REVISION_TAG = /^"?([1-9]\d{0,14})"?$/;

/**
 * Reads `If-Match`: `"3"` (the ETag as sent) or `3`, `*`, or absent. One revision only; weak
 * tags never match a strong comparison and are refused like anything else.
 * @throws CollectorError `INVALID_REQUEST` (400) for any other value.
 */
export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined) return null;
  const value = header.trim();
  if (value === '*') return 'any';
  const match = REVISION_TAG.exec(value);
  if (match?.[1] === undefined) {
    throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, 'bad If-Match: send the ETag of the last read ("3" or 3), or * for "must exist"');
  }
  return Number(match[1]);
}

/**
 * True when `If-None-Match` names the current revision: `*`, or a list of tags compared weakly
 * (`W/"3"` matches `"3"`), as RFC 9110 says for `If-None-Match`.
 */
export function ifNoneMatchHits(header: string | undefined, revision: number): boolean {
  if (header === undefined) return false;
  const current = etagOf(revision);
  return header.split(',').some((part) => {
    const tag = part.trim();
    return tag === '*' || tag.replace(/^W\//, '') === current;
  });
}
