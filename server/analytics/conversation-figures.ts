import type { AnalyticsSummary } from '../../lib/protocol/analytics-api';
import { SESSION_GAP_MS } from './sessionize';

/** The summary's conversation figures. */
export type ConversationFigures = Pick<
  AnalyticsSummary,
  'conversations' | 'sessionsWithConversationRate' | 'messagesSentPerSession' | 'messagesReceivedPerSession' | 'firstResponseMedianMs' | 'firstResponseP90Ms'
>;

/** What the store counts for {@link conversationFigures}, over one widget and range of days. */
export interface ConversationCounts {
  /** Conversations whose `created_at` is in the range. */
  conversations: number;
  /** Sessions of the range with a conversation message between their first event and {@link CONVERSATION_SESSION_TAIL_MS} after their last. */
  sessionsWithConversation: number;
  /** Visitor messages whose `created_at` is in the range. */
  visitorMessages: number;
  /** Agent and bot messages whose `created_at` is in the range. */
  replyMessages: number;
  /** Nearest-rank median and 90th percentile of the first response times, null when there are none. */
  firstResponseMedianMs: number | null;
  firstResponseP90Ms: number | null;
}

/**
 * How long after a session's last event a conversation message still counts as during the
 * session: the session gap. A visitor who writes and then leaves has the widget's
 * `message_sent` as the session's last event, stored a little before the message itself
 * (client clock, outbox); and the session would have gone on for this long.
 */
export const CONVERSATION_SESSION_TAIL_MS = SESSION_GAP_MS;

/**
 * The 0-based index of the `percentile`th value (nearest rank) among `count` sorted values:
 * rank ⌈p/100 · n⌉, at least 1. Computed here rather than in SQL so both engines agree.
 */
export function nearestRankIndex(count: number, percentile: number): number {
  return Math.max(1, Math.ceil((percentile / 100) * count)) - 1;
}

/**
 * The summary's conversation figures from the store's counts and the range's sessions (the
 * summary's `sessions`, the same denominator as its other per-session figures); the
 * per-session figures are 0 without sessions.
 */
export function conversationFigures(counts: ConversationCounts, sessions: number): ConversationFigures {
  const per = (n: number): number => (sessions > 0 ? n / sessions : 0);
  return {
    conversations: counts.conversations,
    sessionsWithConversationRate: per(counts.sessionsWithConversation),
    messagesSentPerSession: per(counts.visitorMessages),
    messagesReceivedPerSession: per(counts.replyMessages),
    firstResponseMedianMs: counts.firstResponseMedianMs,
    firstResponseP90Ms: counts.firstResponseP90Ms,
  };
}
