import { z } from 'zod';
import { isWidgetId } from '../../lib/protocol/collector';

/** Shortest API key accepted. */
export const MIN_API_KEY_LENGTH = 16;
/** Longest API key accepted. */
export const MAX_API_KEY_LENGTH = 256;

/**
 * Characters of a key: the RFC 6750 `b64token` alphabet without `=`, so a key fits an
 * `Authorization: Bearer` header as is and the `key=owner:widgets` list format stays unambiguous.
 */
const API_KEY_PATTERN = /^[A-Za-z0-9._~+/-]+$/;
/** Owners are labels for logs: no `:` or `;`, which separate the list format. */
const OWNER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** One API key: who holds it and which widgets it may read (`"*"`: every widget). */
export interface ApiKeyGrant {
  /** The secret sent as `Authorization: Bearer <key>`: 16–256 characters of `A-Z a-z 0-9 . _ ~ + / -`. */
  key: string;
  /** Who the key belongs to (logged, never the key): 1–64 characters of `A-Z a-z 0-9 . _ @ -`. */
  owner: string;
  /**
   * The widget ids the key may read and delete from (each per the contract's
   * `WIDGET_ID_PATTERN`), or `"*"` for all of them.
   */
  widgets: '*' | readonly string[];
}

const widgetsSchema = z.preprocess(
  (value) => (value === '*' ? ['*'] : value),
  z
    .array(
      // A grant naming an id no widget can have (the rule before widget ids lost `.` and `:`)
      // stops the collector at start, naming the id: silently ignoring it would leave a key
      // that quietly reads nothing.
      z.string().refine((id) => id === '*' || isWidgetId(id), {
        error: (issue) =>
          `must be "*" or widget ids of 1-64 characters of A-Z a-z 0-9 _ -, starting with a letter or digit (not ${JSON.stringify(issue.input)})`,
      }),
      { error: 'must be "*" or a list of widget ids' },
    )
    .min(1, 'must list at least one widget id, or be "*"')
    .transform((ids, context) => {
      if (!ids.includes('*')) return [...new Set(ids)];
      if (ids.length > 1) context.addIssue({ code: 'custom', message: 'must be "*" alone or a list of widget ids, not both' });
      return '*' as const;
    }),
);

/** One grant as the configuration takes it; `widgets: ["*"]` reads as `"*"`. */
export const apiKeyGrantSchema = z.object({
  key: z
    .string()
    .min(MIN_API_KEY_LENGTH, `must be at least ${MIN_API_KEY_LENGTH} characters`)
    .max(MAX_API_KEY_LENGTH, `must be at most ${MAX_API_KEY_LENGTH} characters`)
    .regex(API_KEY_PATTERN, 'must use only A-Z a-z 0-9 . _ ~ + / -'),
  owner: z.string().regex(OWNER_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 . _ @ -, starting with a letter or digit'),
  widgets: widgetsSchema,
});

/** A list of grants in which no key appears twice. */
export const apiKeyGrantsSchema = z.array(apiKeyGrantSchema).superRefine((grants, context) => {
  const seen = new Set<string>();
  grants.forEach((grant, index) => {
    if (seen.has(grant.key)) context.addIssue({ code: 'custom', path: [index, 'key'], message: 'is listed twice' });
    seen.add(grant.key);
  });
});
