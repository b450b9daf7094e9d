import type { EventRow } from '../store/types';

/** Where a session came from: taken from its earliest event that has a page context. */
export interface SessionSource {
  landingPage: string | null;
  /** The referrer's host without `www.`; null for none or a referrer on the landing page's own host. */
  referrerDomain: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  screen: string | null;
}

const text = (value: unknown, max = 2048): string | null => (typeof value === 'string' && value !== '' ? value.slice(0, max) : null);

function hostOf(url: string | null): string | null {
  if (url === null) return null;
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? hostname.replace(/^www\./, '').toLowerCase() : null;
  } catch {
    return null;
  }
}

/** The source facts of one event, or null when it carries no page context (clicks). */
export function sessionSourceOf(row: EventRow): SessionSource | null {
  const context = row.context;
  if (context === null) return null;
  const utm = (typeof context.utm === 'object' && context.utm !== null ? context.utm : {}) as Record<string, unknown>;
  const landingPage = text(context.page);
  const referrer = hostOf(text(context.referrer));
  return {
    landingPage,
    referrerDomain: referrer !== null && referrer !== hostOf(landingPage) ? referrer : null,
    utmSource: text(utm.source, 256),
    utmMedium: text(utm.medium, 256),
    utmCampaign: text(utm.campaign, 256),
    utmTerm: text(utm.term, 256),
    utmContent: text(utm.content, 256),
    screen: text(context.screen, 32),
  };
}
