/*
 * The widget document's limits and patterns, without zod: the embed script checks
 * `setAppearance` against them, and its size budget cannot carry the schemas of
 * `widget-document.ts`, which builds on these.
 */

/** Every length and count the document is held to. */
export const WIDGET_DOCUMENT_LIMITS = {
  /** The widget's name, shown in the dashboard. */
  name: 120,
  /** The greeting, the first bubble of the open panel. */
  greeting: 500,
  /** A survey question's text. */
  questionText: 300,
  /** An answer's, an offer's, a variant's label. */
  label: 80,
  /** The launcher's accessible name (and the chat's title). */
  launcherLabel: 40,
  /** An offer's URL. */
  url: 2048,
  /** Questions in the survey. */
  questions: 5,
  /** Answers of one question. */
  answers: 8,
  /** Variants of one offer (A/B/…). */
  variants: 4,
  /** Entries of `allowedOrigins`. */
  allowedOrigins: 50,
  /** An id of a question, answer, offer or variant (within the click contract's 128). */
  id: 64,
  /** The whole `content` as compact JSON: what the widget keeps in its host's storage. */
  contentLength: 32 * 1024,
} as const;

/** Ids of questions, answers, offers and variants: 1–64 of `A-Z a-z 0-9 _ -`, starting with a letter or digit. */
export const CONTENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** An accent colour: `#rrggbb`. */
export const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

/** The `buttonVariantId` a click carries for an offer without variants. */
export const DEFAULT_VARIANT_ID = 'default';

/** Where the launcher and the panel sit on the host page. */
export const WIDGET_POSITIONS = ['bottom-right', 'bottom-left'] as const;

/** True for a serialised origin as browsers send it in `Origin`: `https://shop.example`, `http://localhost:8080`. */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    // Browsers never send a wildcard: `https://*.shop.example` would silently match nothing.
    return /^https?:$/.test(url.protocol) && url.origin === value && !url.hostname.includes('*');
  } catch {
    return false;
  }
}
