import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { formatResponseTime } from '../../../components/dashboard/format';
import { SummaryCards } from '../../../components/dashboard/SummaryCards';
import type { AnalyticsSummary } from '../../../lib/protocol/analytics-api';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  root = createRoot(container);
});
afterEach(() => act(() => root.unmount()));

/** A summary of a collector from before conversations: without their figures. */
const SUMMARY = {
  widgetId: 'shop',
  from: '2026-11-01',
  to: '2026-11-07',
  events: 100,
  clicks: 3,
  sessions: 40,
  visitors: 30,
  newVisitors: 20,
  opens: 25,
  messagesSent: 12,
  messagesReceived: 10,
  conversions: 2,
  errors: 0,
  sessionDurationMs: 400_000,
  returningVisitors: 10,
  conversionRate: 0.05,
  avgSessionDurationMs: 10_000,
  avgMessagesPerSession: 0.3,
} as AnalyticsSummary;

const cards = () =>
  Object.fromEntries(
    [...container.querySelectorAll('[data-testid="summary-card"]')].map((card) => [card.getAttribute('data-metric'), card.textContent]),
  );

describe('the summary cards', () => {
  test('a summary without conversation figures shows no conversation card', () => {
    act(() => root.render(<SummaryCards summary={SUMMARY} />));
    expect(Object.keys(cards())).toEqual(['sessions', 'visitors', 'conversions', 'duration', 'messages', 'opens', 'clicks', 'errors']);
  });

  test('conversation figures show as cards: rates as percentages, response times in minutes and seconds', () => {
    const summary = {
      ...SUMMARY,
      conversations: 8,
      sessionsWithConversationRate: 0.2,
      messagesSentPerSession: 1.25,
      messagesReceivedPerSession: 0.75,
      firstResponseMedianMs: 80_000,
      firstResponseP90Ms: 4_000,
    };
    act(() => root.render(<SummaryCards summary={summary} />));
    const shown = cards();
    expect(shown.conversations).toContain('8');
    expect(shown.conversations).toContain('20% of sessions had one');
    expect(shown['messages-per-session']).toContain('1.3');
    expect(shown['messages-per-session']).toContain('0.8 received');
    expect(shown['first-response']).toContain('1 m 20 s');
    expect(shown['first-response']).toContain('90% within 4 s');
  });

  test('a figure left out hides its card; a first response not measured yet shows a dash', () => {
    const summary = { ...SUMMARY, conversations: 0, firstResponseMedianMs: null };
    act(() => root.render(<SummaryCards summary={summary} />));
    const shown = cards();
    expect(shown.conversations).toContain('started by visitors');
    expect(shown['messages-per-session']).toBeUndefined();
    expect(shown['first-response']).toContain('no conversation answered yet');
  });

  test('says under the cards how many bot events the figures leave out, and nothing when none were or the collector does not say', () => {
    const note = () => container.querySelector('[data-testid="bots-excluded"]')?.textContent ?? null;
    act(() => root.render(<SummaryCards summary={{ ...SUMMARY, bots: { excluded: 1234 } }} />));
    expect(note()).toBe('1,234 events from bots and automated browsers left out of these figures');
    act(() => root.render(<SummaryCards summary={{ ...SUMMARY, bots: { excluded: 1 } }} />));
    expect(note()).toBe('1 event from a bot or an automated browser left out of these figures');
    act(() => root.render(<SummaryCards summary={{ ...SUMMARY, bots: { excluded: 0 } }} />));
    expect(note()).toBeNull();
    act(() => root.render(<SummaryCards summary={SUMMARY} />));
    expect(note()).toBeNull();
  });

  test('response times read as seconds, minutes and hours', () => {
    expect([400, 45_000, 80_000, 7_500_000].map(formatResponseTime)).toEqual(['0.4 s', '45 s', '1 m 20 s', '2 h 05 m']);
  });
});
