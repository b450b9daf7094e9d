import { randomBytes } from 'node:crypto';

/** A desktop browser's user agent: what the embed sends from a visitor's page (`isbot` tells it from a bot's). */
export const BROWSER_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let lastMs = 0;
let sequence = 0;

/** A UUIDv7 string (time-ordered), like the embed script's event ids. */
export function uuidv7(now = Date.now()): string {
  sequence = now === lastMs ? sequence + 1 : 0;
  lastMs = now;
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A valid click event; fields can be overridden. */
export function click(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: uuidv7(),
    sessionId: 'session-1',
    questionId: 'question-1',
    offerId: 'offer-1',
    buttonVariantId: 'variant-a',
    timestamp: Date.now(),
    userAgent: BROWSER_USER_AGENT,
    ...overrides,
  };
}

/** A valid analytics event; fields can be overridden. */
export function analytics(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: uuidv7(),
    name: 'widget_opened',
    category: 'engagement',
    sessionId: 'session-1',
    anonymousId: 'anon-1',
    userId: null,
    timestamp: Date.now(),
    properties: { step: 1, label: 'hello' },
    context: { page: 'https://shop.example/p', referrer: '', utm: { source: 'news' }, screen: '1920x1080', userAgent: BROWSER_USER_AGENT },
    ...overrides,
  };
}

/** A batch envelope around events. */
export function batch(events: unknown[], widgetId = 'demo'): Record<string, unknown> {
  return { widgetId, batchId: uuidv7(), events };
}

/** `count` valid clicks. */
export function clicks(count: number, overrides: Record<string, unknown> = {}): Record<string, unknown>[] {
  return Array.from({ length: count }, () => click(overrides));
}

/**
 * A valid `offer_shown` analytics event, as the widget records it when the open panel shows an
 * offer; `properties` are merged over `{ offerId, questionId, buttonVariantId }`, other fields
 * can be overridden.
 */
export function offerShown(properties: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return analytics({
    name: 'offer_shown',
    category: 'offer',
    properties: { offerId: 'offer-1', questionId: 'question-1', buttonVariantId: 'variant-a', ...properties },
    ...overrides,
  });
}
