import type { AnalyticsSummary } from '../../lib/protocol/analytics-api';
import { formatCount, formatDecimal, formatDuration, formatRate, formatResponseTime } from './format';

/**
 * The conversation figures of the summary. A collector before conversations does not send
 * them: each card shows only when its figure is there.
 */
export interface ConversationFigures {
  conversations: number;
  /** Sessions with a conversation / sessions. */
  sessionsWithConversationRate: number;
  messagesSentPerSession: number;
  messagesReceivedPerSession: number;
  /** From a visitor's first message to the first team or bot reply; null: none answered in the range. */
  firstResponseMedianMs: number | null;
  firstResponseP90Ms: number | null;
}

const figure = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** The conversation cards the summary has figures for. */
export function conversationCardsOf(summary: object): Card[] {
  const figures = summary as Partial<Record<keyof ConversationFigures, unknown>>;
  const cards: Card[] = [];
  const conversations = figure(figures.conversations);
  const rate = figure(figures.sessionsWithConversationRate);
  if (conversations !== null) {
    cards.push({
      metric: 'conversations',
      label: 'Conversations',
      value: formatCount(conversations),
      detail: rate === null ? 'started by visitors' : `${formatRate(rate)} of sessions had one`,
    });
  }
  const sent = figure(figures.messagesSentPerSession);
  const received = figure(figures.messagesReceivedPerSession);
  if (sent !== null) {
    cards.push({
      metric: 'messages-per-session',
      label: 'Chat per session',
      value: formatDecimal(sent),
      detail: `messages sent${received === null ? '' : ` · ${formatDecimal(received)} received`}`,
    });
  }
  const median = figure(figures.firstResponseMedianMs);
  const p90 = figure(figures.firstResponseP90Ms);
  if (median !== null) {
    cards.push({
      metric: 'first-response',
      label: 'First response',
      value: formatResponseTime(median),
      detail: `median${p90 === null ? '' : ` · 90% within ${formatResponseTime(p90)}`}`,
    });
  } else if (figures.firstResponseMedianMs === null) {
    cards.push({ metric: 'first-response', label: 'First response', value: '–', detail: 'no conversation answered yet' });
  }
  return cards;
}

/** One card of the summary. */
export interface Card {
  metric: string;
  label: string;
  value: string;
  detail: string;
  tone?: 'warn';
}

function cardsOf(summary: AnalyticsSummary): Card[] {
  return [
    { metric: 'sessions', label: 'Sessions', value: formatCount(summary.sessions), detail: `${formatCount(summary.events)} events recorded` },
    {
      metric: 'visitors',
      label: 'Visitors',
      value: formatCount(summary.visitors),
      detail: `${formatCount(summary.newVisitors)} new · ${formatCount(summary.returningVisitors)} returning`,
    },
    {
      metric: 'conversions',
      label: 'Conversions',
      value: formatCount(summary.conversions),
      detail: `${formatRate(summary.conversionRate)} of sessions clicked an offer`,
    },
    { metric: 'duration', label: 'Avg. session', value: formatDuration(summary.avgSessionDurationMs), detail: 'first to last event' },
    {
      metric: 'messages',
      label: 'Messages sent',
      value: formatCount(summary.messagesSent),
      detail: `${formatCount(summary.messagesReceived)} replies · ${formatDecimal(summary.avgMessagesPerSession)} per session`,
    },
    { metric: 'opens', label: 'Widget opens', value: formatCount(summary.opens), detail: 'times the chat was opened' },
    { metric: 'clicks', label: 'Offer clicks', value: formatCount(summary.clicks), detail: 'clicks on offer buttons' },
    {
      metric: 'errors',
      label: 'Errors',
      value: formatCount(summary.errors),
      detail: summary.errors === 0 ? 'none reported' : 'reported by the widget',
      ...(summary.errors > 0 ? { tone: 'warn' as const } : {}),
    },
  ];
}

/**
 * The line that says how many bot events the figures leave out, or null when none were (or the
 * collector, from before bots were told apart, does not say).
 */
export function botsNoteOf(summary: object): string | null {
  const bots = (summary as { bots?: { excluded?: unknown } }).bots;
  const excluded = figure(bots?.excluded);
  if (excluded === null || excluded <= 0) return null;
  return excluded === 1
    ? '1 event from a bot or an automated browser left out of these figures'
    : `${formatCount(excluded)} events from bots and automated browsers left out of these figures`;
}

/** The headline numbers of the range, one card each, and how many bot events they leave out. */
export function SummaryCards({ summary }: { summary: AnalyticsSummary }) {
  const botsNote = botsNoteOf(summary);
  return (
    <section aria-labelledby="fwd-summary-title">
      <h2 id="fwd-summary-title" className="fwd-visually-hidden">
        Summary
      </h2>
      <ul className="fwd-cards">
        {[...cardsOf(summary), ...conversationCardsOf(summary)].map((card) => (
          <li
            key={card.metric}
            className={card.tone === 'warn' ? 'fwd-card fwd-card--warn' : 'fwd-card'}
            data-testid="summary-card"
            data-metric={card.metric}
          >
            <h3 className="fwd-card__label">{card.label}</h3>
            <p className="fwd-card__value" data-testid="summary-value">
              {card.value}
            </p>
            <p className="fwd-card__detail">{card.detail}</p>
          </li>
        ))}
      </ul>
      {botsNote !== null && (
        <p className="fwd-fineprint fwd-bots-note" data-testid="bots-excluded">
          {botsNote}
        </p>
      )}
    </section>
  );
}
