import type { EventRow } from '../../server';

/** A stored-event row (what the store keeps of an event), for the analytics tests and benchmark; fields can be overridden. */
export function eventRow(overrides: Partial<EventRow> & Pick<EventRow, 'eventId' | 'ts'>): EventRow {
  return {
    widgetId: 'demo',
    kind: 'analytics',
    name: 'widget_opened',
    category: null,
    sessionId: 'visitor-1',
    anonymousId: null,
    userId: null,
    questionId: null,
    offerId: null,
    buttonVariantId: null,
    receivedAt: overrides.ts,
    batchId: null,
    ip: null,
    userAgent: null,
    properties: null,
    context: null,
    bot: false,
    ...overrides,
  };
}
